/**
 * Helpers for the data-set tests: temporary folders, environment variables, a local HTTP server.
 *
 * The tests never use the network beyond 127.0.0.1: downloads are tested
 * against a server started in the test on a free port.
 *
 * @example
 * ```ts
 * import { serveLocally, withEnv } from "./test_helpers.ts";
 * const server = serveLocally(() => new Response("hello"));
 * await withEnv({ GRADLAB_DATA_DIR: undefined }, async () => {
 *   // ... fetch(server.url("/file.txt")) ...
 * });
 * await server.close();
 * ```
 * @module
 */

/**
 * Runs `fn` with environment variables set (or, for `undefined`, unset),
 * then restores their previous values.
 */
export async function withEnv(
  vars: Record<string, string | undefined>,
  fn: () => Promise<void>,
): Promise<void> {
  const saved = Object.keys(vars).map((name) => [name, Deno.env.get(name)] as const);
  const set = (name: string, value: string | undefined) =>
    value === undefined ? Deno.env.delete(name) : Deno.env.set(name, value);
  for (const [name, value] of Object.entries(vars)) set(name, value);
  try {
    await fn();
  } finally {
    for (const [name, value] of saved) set(name, value);
  }
}

/** An HTTP server on 127.0.0.1 and a free port, answering with `handler`. */
export function serveLocally(handler: (request: Request) => Response | Promise<Response>): {
  /** the full URL of `path` on this server */
  url(path: string): string;
  /** stops the server */
  close(): Promise<void>;
} {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handler);
  return {
    url: (path) => `http://127.0.0.1:${server.addr.port}${path}`,
    close: () => server.shutdown(),
  };
}

/** Bytes 0, 1, 2, … (mod 251, so no period lines up with a power of two), `n` of them. */
export function testBytes(n: number): Uint8Array<ArrayBuffer> {
  return Uint8Array.from({ length: n }, (_, i) => i % 251);
}

/** gzip-compresses `bytes` with the web-standard `CompressionStream`. */
export async function gzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * A ustar archive of `entries` (type "0" regular file by default, "5" folder),
 * built by hand so a test controls every byte.
 */
export function makeTar(
  entries: { name: string; data?: Uint8Array; type?: string; prefix?: string }[],
): Uint8Array<ArrayBuffer> {
  const blocks: Uint8Array[] = [];
  for (const { name, data = new Uint8Array(), type = "0", prefix = "" } of entries) {
    const header = new Uint8Array(512);
    const put = (text: string, at: number) => header.set(new TextEncoder().encode(text), at);
    put(name, 0);
    put("0000644\0", 100);
    put(data.length.toString(8).padStart(11, "0") + "\0", 124);
    put(type, 156);
    put("ustar\0" + "00", 257);
    put(prefix, 345);
    put("        ", 148);
    const sum = header.reduce((a, b) => a + b, 0);
    put(sum.toString(8).padStart(6, "0") + "\0 ", 148);
    blocks.push(header, data, new Uint8Array((512 - (data.length % 512)) % 512));
  }
  blocks.push(new Uint8Array(1024));
  const out = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
  let offset = 0;
  for (const b of blocks) {
    out.set(b, offset);
    offset += b.length;
  }
  return out;
}
