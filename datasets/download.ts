/**
 * Downloading one file: with a progress bar, atomically, resuming after an interruption.
 *
 * Bytes go to `dest + ".part"` and the file is renamed to `dest` only once
 * complete, so `dest` is never a half-written file. If a download is cut off
 * (network drop, Ctrl-C), the `.part` file stays, and the next call asks the
 * server for the rest only (an HTTP `Range: bytes=N-` request). A server that
 * ignores the range and sends the whole file again is handled too.
 *
 * This module does not check what it downloads: its callers verify the
 * content's checksum (see `data_file.ts`).
 *
 * @example
 * ```ts
 * import { download } from "./download.ts";
 * await download("https://example.org/input.txt", ".cache/datasets/tinyshakespeare/input.txt");
 * ```
 * @module
 */
import { basename, dirname } from "node:path";
import { ProgressBar } from "../lib/progress.ts";

const MB = 1_000_000;

/**
 * Downloads `url` to the file `dest`, creating its folder, showing progress on standard error.
 *
 * @param url an `http:` or `https:` URL.
 * @param dest the path of the file to write; an existing file there is replaced.
 * @throws Error when the server cannot be reached, on an HTTP error status
 *   (naming the URL), or when the transfer breaks off (the partial `.part` file is kept, so calling again resumes).
 */
export async function download(url: string, dest: string): Promise<void> {
  const part = `${dest}.part`;
  const have = await sizeOrZero(part);
  let response;
  try {
    response = await fetch(url, { headers: have > 0 ? { range: `bytes=${have}-` } : {} });
  } catch (e) {
    // fetch's own message is just "fetch failed"; the reason is in its cause
    const { message, cause } = e as Error & { cause?: Error };
    throw new Error(`Could not reach ${new URL(url).host} (${cause?.message ?? message}).`);
  }
  if (response.status === 416) {
    // "Range Not Satisfiable": the .part is not a prefix of what the server has now.
    await response.body?.cancel();
    await Deno.remove(part);
    return download(url, dest); // without a part, no range is asked for, so no second 416
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new Error(`Downloading ${url} failed: HTTP ${response.status} ${response.statusText}.`);
  }
  const resumed = response.status === 206;
  if (resumed && !response.headers.get("content-range")?.startsWith(`bytes ${have}-`)) {
    await response.body.cancel();
    throw new Error(
      `Downloading ${url}: asked for the bytes from ${have} on, but the server sent ` +
        `'${response.headers.get("content-range")}'. Delete ${part} and try again.`,
    );
  }

  let done = resumed ? have : 0;
  const total = done + Number(response.headers.get("content-length") ?? 0);
  const bar = total > 0
    ? new ProgressBar({ total: Math.max(1, Math.ceil(total / MB)), label: `${basename(dest)} MB` })
    : undefined;
  let shown = -1;
  const countBytes = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      done += chunk.length;
      const mb = Math.floor(done / MB);
      if (mb !== shown) {
        shown = mb;
        bar?.update(mb);
      }
      controller.enqueue(chunk);
    },
  });
  // append after a 206 (the rest of the file); start over after a 200 (the whole file)
  await Deno.mkdir(dirname(dest), { recursive: true });
  const file = await Deno.open(part, {
    write: true,
    create: true,
    append: resumed,
    truncate: !resumed,
  });
  try {
    await response.body.pipeThrough(countBytes).pipeTo(file.writable); // closes the file
    bar?.update(bar.total);
  } catch (e) {
    throw new Error(
      `Downloading ${url} broke off after ${done} bytes (${(e as Error).message}). ` +
        `The part is kept in ${part}: run the same command again to resume.`,
    );
  } finally {
    bar?.finish();
  }
  await Deno.rename(part, dest);
}

async function sizeOrZero(path: string): Promise<number> {
  try {
    return (await Deno.stat(path)).size;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return 0;
    throw e;
  }
}
