/**
 * Realistic wrong answers to assignment 5, for `deno task mutants`: each must
 * fail at least one test of its file. See instructor/mutants.ts.
 */
import type { Mutant } from "../../instructor/mutants.ts";

export const MUTANTS: Mutant[] = [
  // conv_naive.ts
  {
    id: "conv-naive-no-bias",
    file: "conv_naive.ts",
    mistake: "the naive forward pass forgets b",
    from: "let sum = bs.get(k);",
    to: "let sum = 0;",
  },
  {
    id: "conv-naive-ignores-stride",
    file: "conv_naive.ts",
    mistake: "the naive forward pass moves the window one pixel at a time whatever the stride",
    from: "let sum = bs.get(k);\n          for (let i = 0; i < kh; i++) {\n" +
      "            const y = r * stride - pad + i;",
    to: "let sum = bs.get(k);\n          for (let i = 0; i < kh; i++) {\n" +
      "            const y = r - pad + i;",
  },
  {
    id: "conv-naive-pad-added",
    file: "conv_naive.ts",
    mistake: "the window starts at r·S + P instead of r·S − P (padding shifts the wrong way)",
    from: "if (y < 0 || y >= h) continue; // a padding row: zeros add nothing\n" +
      "            for (let j = 0; j < kw; j++) {\n              const z = q * stride - pad + j;",
    to: "if (y < 0 || y >= h) continue; // a padding row: zeros add nothing\n" +
      "            for (let j = 0; j < kw; j++) {\n              const z = q * stride + pad + j;",
  },
  {
    id: "conv-naive-filter-transposed",
    file: "conv_naive.ts",
    mistake: "the forward pass reads the filter as w[j, i] (rows and columns swapped)",
    from: "sum += xs.get(e, y, z, ch) * ws.get(i, j, ch, k);",
    to: "sum += xs.get(e, y, z, ch) * ws.get(j, i, ch, k);",
  },
  {
    id: "conv-naive-backward-dx-overwrites",
    file: "conv_naive.ts",
    mistake: "dx is set, not accumulated: a pixel in several windows keeps one gradient",
    from: "dx.set(dx.get(e, y, z, ch) + d * ws.get(i, j, ch, k), e, y, z, ch);",
    to: "dx.set(d * ws.get(i, j, ch, k), e, y, z, ch);",
  },
  {
    id: "conv-naive-backward-dw-uses-w",
    file: "conv_naive.ts",
    mistake: "dw multiplies dout by the weight instead of the input",
    from: "dw.set(dw.get(i, j, ch, k) + d * xs.get(e, y, z, ch), i, j, ch, k);",
    to: "dw.set(dw.get(i, j, ch, k) + d * ws.get(i, j, ch, k), i, j, ch, k);",
  },
  {
    id: "conv-naive-backward-db-counts",
    file: "conv_naive.ts",
    mistake: "db counts the outputs (adds 1) instead of summing dout",
    from: "db.set(db.get(k) + d, k);",
    to: "db.set(db.get(k) + 1, k);",
  },
  {
    id: "conv-naive-backward-ignores-stride",
    file: "conv_naive.ts",
    mistake: "the backward pass forgets the stride when it finds the input pixel",
    from: "db.set(db.get(k) + d, k);\n          for (let i = 0; i < kh; i++) {\n" +
      "            const y = r * stride - pad + i;",
    to: "db.set(db.get(k) + d, k);\n          for (let i = 0; i < kh; i++) {\n" +
      "            const y = r - pad + i;",
  },
  // im2col.ts
  {
    id: "windows-column-major-taps",
    file: "im2col.ts",
    mistake: "taps listed column by column (j outer), not in the order w.reshape lists the weights",
    from: "for (let i = 0; i < kh; i++) {\n    for (let j = 0; j < kw; j++) {\n" +
      "      const [a, b, u, v]",
    to: "for (let j = 0; j < kw; j++) {\n    for (let i = 0; i < kh; i++) {\n" +
      "      const [a, b, u, v]",
  },
  {
    id: "windows-ignores-stride",
    file: "im2col.ts",
    mistake: "windows take consecutive rows and columns whatever the stride",
    from: "const window = s === 1",
    to: "const window = true",
  },
  {
    id: "windows-no-padding",
    file: "im2col.ts",
    mistake: "windows forget the zero padding (only the stride's extra rows are added)",
    from: "[[0, 0], [pad, pad + g.extraH], [pad, pad + g.extraW], [0, 0]]",
    to: "[[0, 0], [0, 2 * pad + g.extraH], [0, 2 * pad + g.extraW], [0, 0]]",
  },
  {
    id: "windows-stride-phase-swapped",
    file: "im2col.ts",
    mistake: "row i of the strided view taken as (i mod S, ⌊i/S⌋) instead of (⌊i/S⌋, i mod S)",
    from: "const rowBlocks = s === 1 ? rows : blocks.slice([0, a, 0], [n, oh, s * g.ws * c])",
    to: "const rowBlocks = s === 1 ? rows : blocks.slice([0, b, 0], [n, oh, s * g.ws * c])",
  },
  {
    id: "im2col-no-interleave",
    file: "im2col.ts",
    mistake: "im2col reshapes the tap-major stack to [rows, K] without transposing it",
    from: "return tf.transpose(tapMajor, [1, 0, 2]).reshape([rows, kh * kw * g.c]);",
    to: "return tapMajor.reshape([rows, kh * kw * g.c]);",
  },
  {
    id: "col2im-no-deinterleave",
    file: "im2col.ts",
    mistake: "col2im cuts cols into taps without transposing back to tap-major",
    from: "const tapMajor = tf.transpose(cols.reshape([n * oh * ow, kh * kw, c]), [1, 0, 2]);",
    to: "const tapMajor = cols.reshape([kh * kw, n * oh * ow, c]);",
  },
  {
    id: "addWindows-keeps-last-tap",
    file: "im2col.ts",
    mistake: "col2im keeps one tap's piece instead of summing overlapping windows",
    from: "const rows = placed.reduce((sum, piece) => tf.add(sum, piece));",
    to: "const rows = placed[placed.length - 1];",
  },
  {
    id: "addWindows-crops-top-left",
    file: "im2col.ts",
    mistake: "col2im drops the padding from the bottom and right only",
    from: "return rows.slice([0, pad, pad * c], [n, h, w * c])",
    to: "return rows.slice([0, 0, 0], [n, h, w * c])",
  },
  {
    id: "addWindows-stride-phase-dropped",
    file: "im2col.ts",
    mistake: "col2im puts every strided piece back at row phase 0 of the view",
    from: "[b, s - 1 - b],",
    to: "[0, s - 1],",
  },
  // conv_fast.ts
  {
    id: "conv-fast-filter-as-f-by-k",
    file: "conv_fast.ts",
    mistake: "the filter matrix built as w.reshape([F, K]) and transposed",
    from: "const out = tf.add(tf.matMul(cols, w.reshape([kh * kw * c, f])), b).reshape(outShape);",
    to: "const out = tf.add(tf.matMul(cols, w.reshape([f, kh * kw * c]).transpose()), b)" +
      ".reshape(outShape);",
  },
  {
    id: "conv-fast-no-bias",
    file: "conv_fast.ts",
    mistake: "the fast forward pass forgets b",
    from: "const out = tf.add(tf.matMul(cols, w.reshape([kh * kw * c, f])), b).reshape(outShape);",
    to: "const out = tf.matMul(cols, w.reshape([kh * kw * c, f])).reshape(outShape);",
  },
  {
    id: "conv-fast-dw-transposed",
    file: "conv_fast.ts",
    mistake: "dW computed as doutᵀ·cols ([F, K]) and reshaped to w's shape as it is",
    from: "const dw = tf.matMul(cache.cols, rows, true, false).reshape(w.shape) as tf.Tensor4D;",
    to: "const dw = tf.matMul(rows, cache.cols, true, false).reshape(w.shape) as tf.Tensor4D;",
  },
  {
    id: "conv-fast-db-mean",
    file: "conv_fast.ts",
    mistake: "db as the mean of dout over the positions, not the sum",
    from: "const db = tf.sum(rows, 0) as tf.Tensor1D;",
    to: "const db = tf.mean(rows, 0) as tf.Tensor1D;",
  },
  {
    id: "conv-fast-dcols-reshaped-w",
    file: "conv_fast.ts",
    mistake: "dcols = dout·Wᵀ with Wᵀ made by w.reshape([F, K]) instead of a transpose",
    from: "const dcols = tf.matMul(rows, w.reshape([kh * kw * c, f]), false, true) as tf.Tensor2D;",
    to: "const dcols = tf.matMul(rows, w.reshape([f, kh * kw * c])) as tf.Tensor2D;",
  },
  // pooling.ts
  {
    id: "maxpool-naive-ignores-stride",
    file: "pooling.ts",
    mistake: "the naive max pool moves its window one pixel at a time",
    from: "best = Math.max(best, xs.get(e, r * pool.stride + i, q * pool.stride + j, ch));",
    to: "best = Math.max(best, xs.get(e, r + i, q + j, ch));",
  },
  {
    id: "maxpool-naive-backward-last-tie",
    file: "pooling.ts",
    mistake: "ties go to the last maximum of the window (>= instead of >)",
    from: "if (xs.get(e, y, z, ch) > best) [best, by, bz] = [xs.get(e, y, z, ch), y, z];",
    to: "if (xs.get(e, y, z, ch) >= best) [best, by, bz] = [xs.get(e, y, z, ch), y, z];",
  },
  {
    id: "maxpool-naive-backward-overwrites",
    file: "pooling.ts",
    mistake:
      "dx set, not accumulated: an input that wins two overlapping windows keeps one gradient",
    from: "dx.set(dx.get(e, by, bz, ch) + ds.get(e, r, q, ch), e, by, bz, ch);",
    to: "dx.set(ds.get(e, r, q, ch), e, by, bz, ch);",
  },
  {
    id: "avgpool-naive-sum",
    file: "pooling.ts",
    mistake: "average pooling returns the window's sum",
    from: "out.set(sum / area, e, r, q, ch);",
    to: "out.set(sum, e, r, q, ch);",
  },
  {
    id: "avgpool-naive-backward-no-share",
    file: "pooling.ts",
    mistake: "average pooling backward gives every input the whole dout",
    from: "const share = ds.get(e, r, q, ch) / area;",
    to: "const share = ds.get(e, r, q, ch);",
  },
  {
    id: "maxpool-fast-backward-every-tie",
    file: "pooling.ts",
    mistake: "every input equal to the maximum gets the gradient (ties not broken)",
    from: 'const claims = tf.mul(tf.cast(tf.equal(t, out), "float32"), unclaimed);',
    to: 'const claims = tf.cast(tf.equal(t, out), "float32");',
  },
  {
    id: "maxpool-fast-backward-ignores-dout",
    file: "pooling.ts",
    mistake: "the switches are returned without multiplying by dout",
    from: "return tf.mul(dout, claims) as tf.Tensor4D;",
    to: "return claims as tf.Tensor4D;",
  },
  {
    id: "maxpool-fast-forward-mean",
    file: "pooling.ts",
    mistake: "the fast max pool averages its window (the average pool's code pasted)",
    from: "const out = taps.reduce((best, t) => tf.maximum(best, t));",
    to: "const out = tf.div(taps.reduce((s, t) => tf.add(s, t)), taps.length) as tf.Tensor4D;",
  },
  {
    id: "avgpool-fast-divides-by-height",
    file: "pooling.ts",
    mistake: "the fast average pool divides by the window's height only",
    from: "const out = tf.div(sum, pool.height * pool.width) as tf.Tensor4D;",
    to: "const out = tf.div(sum, pool.height) as tf.Tensor4D;",
  },
  {
    id: "avgpool-fast-backward-whole-dout",
    file: "pooling.ts",
    mistake: "the fast average pool's backward pass gives each input the whole dout",
    from: "const share = tf.div(dout, pool.height * pool.width) as tf.Tensor4D;",
    to: "const share = dout;",
  },
  // spatial_norm.ts
  {
    id: "spatial-bn-per-example",
    file: "spatial_norm.ts",
    mistake: "spatial batchnorm views x as [N, H·W·C] (statistics per pixel and channel)",
    from: "const rows = x.reshape([-1, x.shape[3]]) as tf.Tensor2D;",
    to: "const rows = x.reshape([x.shape[0], -1]) as tf.Tensor2D;",
  },
  {
    id: "spatial-bn-always-train",
    file: "spatial_norm.ts",
    mistake: 'spatial batchnorm passes "train" whatever the mode',
    from: "batchnormForward(rows, gamma, beta, mode, state, options);",
    to: 'batchnormForward(rows, gamma, beta, "train", state, options);',
  },
  {
    id: "spatial-bn-default-options",
    file: "spatial_norm.ts",
    mistake: "spatial batchnorm drops its options (ε and momentum stay the defaults)",
    from: "batchnormForward(rows, gamma, beta, mode, state, options);",
    to: "batchnormForward(rows, gamma, beta, mode, state);",
  },
  {
    id: "groupnorm-interleaved-groups",
    file: "spatial_norm.ts",
    mistake: "groups formed from every G-th channel instead of consecutive channels",
    from: "const grouped = x.reshape([n, h * w, groups, c / groups]);",
    to: "const grouped = x.reshape([n, h * w, c / groups, groups]);",
  },
  {
    id: "groupnorm-stats-over-pixels-only",
    file: "spatial_norm.ts",
    mistake: "groupnorm's statistics over the pixels only, per channel (instance norm)",
    from: "const { mean, variance } = tf.moments(grouped, [1, 3], true);",
    to: "const { mean, variance } = tf.moments(grouped, [1], true);",
  },
  {
    id: "groupnorm-eps-outside-root",
    file: "spatial_norm.ts",
    mistake: "ε added after the square root",
    from: "const invStd = tf.rsqrt(tf.add(variance, eps)) as tf.Tensor4D;",
    to: "const invStd = tf.div(1, tf.add(tf.sqrt(variance), eps)) as tf.Tensor4D;",
  },
  {
    id: "groupnorm-backward-count",
    file: "spatial_norm.ts",
    mistake: "the group's size M taken as H·W·C (all channels)",
    from: "const m = (h * w * c) / groups;",
    to: "const m = h * w * c;",
  },
  {
    id: "groupnorm-backward-no-mean-path",
    file: "spatial_norm.ts",
    mistake: "groupnorm backward forgets the gradient through the mean",
    from: "tf.sub(tf.mul(m, dxhat), tf.sum(dxhat, [1, 3], true)),",
    to: "tf.mul(m, dxhat),",
  },
  // three_layer_convnet.ts
  {
    id: "convnet-bn-state-not-returned",
    file: "three_layer_convnet.ts",
    mistake: "the running mean is updated but not put in the state returned",
    from: "nextState.runningMean1 = next.runningMean;",
    to: "",
  },
  {
    id: "convnet-bn-always-train",
    file: "three_layer_convnet.ts",
    mistake: "the net's batchnorm always runs in train mode",
    from: 'spatialBatchnormForward(a, W("gamma1"), W("beta1"), mode, running);',
    to: 'spatialBatchnormForward(a, W("gamma1"), W("beta1"), "train", running);',
  },
  {
    id: "convnet-no-relu-before-pool",
    file: "three_layer_convnet.ts",
    mistake: "the conv block pools the normalised output, skipping the ReLU",
    from: "const [pooled, pool] = maxPoolForwardFast(r as tf.Tensor4D, POOL);",
    to: "const [pooled, pool] = maxPoolForwardFast(normed as tf.Tensor4D, POOL);",
  },
  {
    id: "convnet-backward-skips-relu",
    file: "three_layer_convnet.ts",
    mistake: "the backward pass goes from the pool straight to batchnorm, skipping the ReLU",
    from: "let da = reluBackward(dr, cache.relu).dx as tf.Tensor4D;",
    to: "let da = dr;",
  },
  {
    id: "convnet-backward-skips-bn",
    file: "three_layer_convnet.ts",
    mistake:
      "the backward pass takes γ and β's gradients but passes dout on through batchnorm unchanged",
    from: "[grads.gamma1, grads.beta1, da] = [dgamma, dbeta, dx];",
    to: "[grads.gamma1, grads.beta1] = [dgamma, dbeta];",
  },
  {
    id: "convnet-backward-hidden-no-relu",
    file: "three_layer_convnet.ts",
    mistake: "the hidden layer's backward pass forgets its ReLU",
    from: "const mid = affineReluBackward(top.dx as tf.Tensor2D, cache.hidden);",
    to: "const mid = affineBackward(top.dx as tf.Tensor2D, cache.hidden.affine);",
  },
  // visualize.ts
  {
    id: "saliency-train-mode",
    file: "visualize.ts",
    mistake: "saliency computed in train mode (batch statistics mix the images)",
    from: 'threeLayerConvNetForward(params, x, state, "test");',
    to: 'threeLayerConvNetForward(params, x, state, "train");',
  },
  {
    id: "saliency-no-abs",
    file: "visualize.ts",
    mistake: "saliency as the largest signed gradient, not the largest magnitude",
    from: "return tf.max(tf.abs(dx), 3) as tf.Tensor3D;",
    to: "return tf.max(dx, 3) as tf.Tensor3D;",
  },
  {
    id: "saliency-sum-channels",
    file: "visualize.ts",
    mistake: "saliency sums the channels' magnitudes instead of taking their maximum",
    from: "return tf.max(tf.abs(dx), 3) as tf.Tensor3D;",
    to: "return tf.sum(tf.abs(dx), 3) as tf.Tensor3D;",
  },
  {
    id: "saliency-from-loss",
    file: "visualize.ts",
    mistake: "saliency from the gradient of the loss (softmax − onehot) instead of the class score",
    from: "const dscores = tf.oneHot(y, scores.shape[1]).toFloat() as tf.Tensor2D;",
    to: "const dscores = tf.sub(tf.softmax(scores), tf.oneHot(y, scores.shape[1])) as tf.Tensor2D;",
  },
  {
    id: "activations-train-mode",
    file: "visualize.ts",
    mistake: "activation maps normalised with the batch's statistics",
    from: 'spatialBatchnormForward(a, gamma, beta, "test", running);',
    to: 'spatialBatchnormForward(a, gamma, beta, "train", running);',
  },
  {
    id: "activations-no-relu",
    file: "visualize.ts",
    mistake: "activation maps before the ReLU",
    from: "return tf.relu(normed);",
    to: "return normed;",
  },
];
