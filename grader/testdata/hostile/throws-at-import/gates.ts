// Hostile submission: gates.ts throws while it loads.
// Honest failures: gates_test.ts cannot load, so its 6 tests (12 points) fail; 88/100.
import * as tf from "@tensorflow/tfjs";

throw new Error("this submission throws while its module loads");

export const addForward = (x: tf.Tensor, y: tf.Tensor) => [tf.add(x, y), { x, y }];
export const addBackward = (d: tf.Tensor) => ({ dx: d, dy: d });
export const multiplyForward = addForward;
export const multiplyBackward = addBackward;
export const maxForward = addForward;
export const maxBackward = addBackward;
export const sigmoidNeuronForward = addForward;
export const sigmoidNeuronBackward = addBackward;
