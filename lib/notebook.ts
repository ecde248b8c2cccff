/**
 * Showing charts and images under a notebook cell (Deno's Jupyter kernel).
 *
 * The charts of `lib/plot.ts` are SVG text and images are PNG bytes, the same
 * values a script writes to `out/`; in a notebook, {@linkcode show} draws them
 * under the cell, and a {@linkcode LiveView} redraws one place while training
 * runs (e.g. from the Solver's `onEpoch`).
 *
 * @example In a notebook cell
 * ```ts ignore
 * import { lineChart } from "../../lib/plot.ts";
 * import { show } from "../../lib/notebook.ts";
 * await show(lineChart({ title: "loss", xLabel: "step", yLabel: "loss", series: [{ name: "loss", y: [2, 1, 0.5] }] }));
 * ```
 * @module
 */

/** What {@linkcode show} draws: SVG text (a chart of lib/plot.ts) or the bytes of a PNG file. */
export type Figure = string | Uint8Array;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * The Jupyter media bundle for a figure: `image/svg+xml` for SVG text,
 * `image/png` (base64) for PNG bytes.
 *
 * @throws Error for text that is not an SVG document, or bytes that are not a PNG file
 */
export function mediaBundle(figure: Figure): Record<string, string> {
  if (typeof figure === "string") {
    if (!/^\s*<svg[\s>]/.test(figure)) {
      throw new Error(
        `show: expected SVG text (a chart of lib/plot.ts), got "${figure.slice(0, 40)}…".`,
      );
    }
    return { "image/svg+xml": figure };
  }
  if (!PNG_SIGNATURE.every((byte, i) => figure[i] === byte)) {
    throw new Error("show: expected the bytes of a PNG file (they start with \\x89PNG).");
  }
  return { "image/png": figure.toBase64() };
}

/** How a figure reaches the notebook: Deno's kernel's `display` (replaced in tests). */
export type Display = (
  bundle: Record<string, string>,
  options: Deno.jupyter.DisplayOptions,
) => Promise<void>;

const jupyterDisplay: Display = (bundle, options) => Deno.jupyter.display(bundle, options);

/** Draws a chart or image under the current notebook cell. */
export async function show(figure: Figure, display: Display = jupyterDisplay): Promise<void> {
  await display(mediaBundle(figure), { raw: true });
}

/** One place under a cell that each {@linkcode LiveView.show} redraws. */
export interface LiveView {
  /** Draws `figure` in this view's place: the first call adds it under the cell, later ones replace it. */
  show(figure: Figure): Promise<void>;
}

/**
 * A place under the current cell for a figure that changes — curves that grow
 * while a model trains. (Each view has its own display id, so a view in a cell
 * run again does not redraw the outputs of earlier runs.)
 *
 * @example In a notebook cell
 * ```ts ignore
 * const view = liveView();
 * const solver = new Solver(model, params, data, {
 *   ...options,
 *   onEpoch: () => view.show(solver.charts().loss),
 * });
 * await solver.train();
 * ```
 */
export function liveView(display: Display = jupyterDisplay): LiveView {
  const id = `gradlab-${crypto.randomUUID()}`;
  let shown = false;
  return {
    async show(figure) {
      await display(mediaBundle(figure), {
        raw: true,
        display_id: id,
        update: shown,
      });
      shown = true;
    },
  };
}
