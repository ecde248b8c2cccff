import { assertEquals, assertNotEquals, assertThrows } from "./assert.ts";
import { type Display, liveView, mediaBundle, show } from "./notebook.ts";

const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>\n';
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

/** A stand-in for the kernel's display that records its calls. */
function recorder(): { display: Display; calls: Parameters<Display>[] } {
  const calls: Parameters<Display>[] = [];
  return {
    display: (bundle, options) => Promise.resolve(void calls.push([bundle, options])),
    calls,
  };
}

Deno.test("mediaBundle: SVG text as image/svg+xml, PNG bytes as base64 image/png", () => {
  assertEquals(mediaBundle(SVG), { "image/svg+xml": SVG }, "an SVG chart");
  assertEquals(mediaBundle(PNG), { "image/png": PNG.toBase64() }, "a PNG file's bytes");
  assertThrows(() => mediaBundle("loss 0.24"), Error, "expected SVG text");
  assertThrows(() => mediaBundle(new Uint8Array([1, 2, 3])), Error, "PNG file");
});

Deno.test("show displays the figure once, raw", async () => {
  const { display, calls } = recorder();
  await show(SVG, display);
  assertEquals(calls, [[{ "image/svg+xml": SVG }, { raw: true }]], "one raw display");
});

Deno.test("liveView: the first show adds a display, later ones update it; views do not share ids", async () => {
  const { display, calls } = recorder();
  const [view, other] = [liveView(display), liveView(display)];
  await view.show(SVG);
  await view.show(PNG);
  await other.show(SVG);
  const [first, second, third] = calls.map(([, options]) => options);
  assertEquals(first.update, false, "the first show adds the figure");
  assertEquals(second.update, true, "the second replaces it");
  assertEquals(second.display_id, first.display_id, "in the same place");
  assertEquals(third.update, false, "another view adds its own");
  assertNotEquals(third.display_id, first.display_id, "with its own id");
});
