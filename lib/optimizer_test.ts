import * as tf from "@tensorflow/tfjs";
import { assertEquals, assertThrows } from "./assert.ts";
import { useBackend } from "./backend.ts";
import { checkConfig, checkUpdate, type ConfigKeys, constantRate } from "./optimizer.ts";

await useBackend("wasm");

const MOMENTUM: ConfigKeys = {
  hyperParameters: { learningRate: "> 0", momentum: "[0, 1)" },
  state: ["velocity"],
};

Deno.test("checkUpdate accepts a first-step config and one carrying state", () => {
  const w = tf.zeros([2, 3]);
  checkUpdate("sgdMomentum", w, tf.ones([2, 3]), { learningRate: 0.1, momentum: 0 }, MOMENTUM);
  checkUpdate(
    "sgdMomentum",
    w,
    tf.ones([2, 3]),
    { learningRate: 0.1, momentum: 0.9, velocity: tf.zeros([2, 3]) },
    MOMENTUM,
  );
});

Deno.test("checkUpdate: a gradient of the wrong shape is an error giving both shapes", () => {
  assertThrows(
    () =>
      checkUpdate("sgd", tf.zeros([2, 3]), tf.zeros([3, 2]), { learningRate: 1 }, {
        hyperParameters: { learningRate: "> 0" },
        state: [],
      }),
    Error,
    "sgd: dw must have the shape of w, [2,3], but has shape [3,2]",
  );
});

Deno.test("checkUpdate: an unknown, missing or out-of-range hyper-parameter is an error", () => {
  const [w, dw] = [tf.zeros([2]), tf.zeros([2])];
  const check = (config: Record<string, unknown>) => () =>
    checkUpdate("sgdMomentum", w, dw, config as never, MOMENTUM);
  assertThrows(
    check({ learningRate: 0.1, momentum: 0.9, velocty: w }),
    Error,
    "sgdMomentum config: unknown option 'velocty' (did you mean 'velocity'?)",
  );
  assertThrows(
    check({ learningRate: 0.1 }),
    Error,
    "sgdMomentum: config.momentum must be a number in [0, 1), got undefined. " +
      "A sgdMomentum config needs learningRate, momentum.",
  );
  assertThrows(check({ learningRate: 0.1, momentum: 1 }), Error, "in [0, 1), got 1");
  assertThrows(
    check({ learningRate: -1, momentum: 0.5 }),
    Error,
    "learningRate must be a number > 0",
  );
  assertThrows(check({ learningRate: Infinity, momentum: 0.5 }), Error, "> 0, got Infinity");
  assertThrows(check({ learningRate: w, momentum: 0.5 }), Error, "got a tensor");
});

Deno.test("constantRate keeps the initial rate in every epoch", () => {
  assertEquals([0, 1, 50].map((epoch) => constantRate(0.3, epoch)), [0.3, 0.3, 0.3]);
});

Deno.test("checkConfig checks a config without a gradient (for rules that take a gradient function)", () => {
  checkConfig("nesterovLookahead", { learningRate: 0.1, momentum: 0.5 }, MOMENTUM);
  assertThrows(
    () => checkConfig("nesterovLookahead", { learningRate: 0.1, mu: 0.5 }, MOMENTUM),
    Error,
    "nesterovLookahead config: unknown option 'mu'",
  );
});
