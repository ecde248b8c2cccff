/**
 * A terminal progress bar for training loops and downloads.
 *
 * On a terminal it redraws one line in place; when output goes to a file or
 * a CI log it prints a plain line at every 10% instead, so logs stay short.
 *
 * @example
 * ```ts
 * import { ProgressBar } from "./progress.ts";
 * const bar = new ProgressBar({ total: 100, label: "epoch 1" });
 * for (let i = 1; i <= 100; i++) bar.update(i, `loss ${(1 / i).toFixed(3)}`);
 * bar.finish();
 * ```
 * @module
 */

const encoder = new TextEncoder();

/** A progress bar writing to standard error. */
export class ProgressBar {
  readonly total: number;
  readonly label: string;
  #interactive = Deno.stderr.isTerminal();
  #lastDecile = -1;
  #started = performance.now();

  constructor({ total, label = "" }: { total: number; label?: string }) {
    if (!(total > 0)) throw new Error(`ProgressBar total must be positive, got ${total}.`);
    this.total = total;
    this.label = label;
  }

  /** Shows that `done` of `total` units are complete, with an optional status text. */
  update(done: number, status = ""): void {
    const fraction = Math.min(1, Math.max(0, done / this.total));
    const seconds = ((performance.now() - this.#started) / 1000).toFixed(1);
    if (this.#interactive) {
      const width = 30;
      const filled = Math.round(fraction * width);
      const bar = "█".repeat(filled) + "░".repeat(width - filled);
      write(`\r\x1b[2K${this.label} ${bar} ${done}/${this.total} ${seconds}s ${status}`);
      return;
    }
    const decile = Math.floor(fraction * 10);
    if (decile > this.#lastDecile) {
      this.#lastDecile = decile;
      write(
        `${this.label} ${
          Math.round(fraction * 100)
        }% (${done}/${this.total}) ${seconds}s ${status}\n`,
      );
    }
  }

  /** Ends the bar's line. */
  finish(): void {
    if (this.#interactive) write("\n");
  }
}

function write(text: string): void {
  Deno.stderr.writeSync(encoder.encode(text));
}
