"""PyTorch CPU counterpart of bench/bench.ts: the same ops and training steps, the same math.

bench.ts runs it as a subprocess when `/usr/bin/python3 -c "import torch"` works, in serve
mode, so that PyTorch's runs interleave with tfjs's and both see the same load:

    /usr/bin/python3 bench/torch_bench.py --serve --target-ms 300
    > {"meta": {...}}                       (first line: versions, BLAS, threads, CPU)
    < step: MLP 784-256-10, batch 128      (a benchmark's name)
    > {"ms": 1.9, "iterations": 150, "firstMs": 4.1}   (one run; warm-up done on first request)

Names match bench.ts's exactly. Tensors are NCHW here and NHWC in tfjs; shapes in names
are given as tfjs writes them.
"""

import argparse
import ctypes
import json
import os
import sys
import time

import torch
import torch.nn.functional as F

RNN_VOCAB, RNN_HIDDEN, RNN_SEQ, RNN_BATCH = 65, 256, 64, 32


def warm_up(fn, target_ms, warmup=2):
    """First call (timed), `warmup` more, then one timed call that sets the iterations per run."""
    t0 = time.perf_counter()
    fn()
    first_ms = (time.perf_counter() - t0) * 1e3
    for _ in range(warmup):
        fn()
    t0 = time.perf_counter()
    fn()
    one = max((time.perf_counter() - t0) * 1e3, 1e-3)
    return first_ms, max(1, min(1000, round(target_ms / one)))


def time_run(fn, n):
    """One run of n calls; ms per call."""
    t0 = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - t0) * 1e3 / n


def ops():
    """The per-op benchmarks: name -> a function doing one iteration."""
    g = torch.Generator().manual_seed(0)
    r = lambda *s: torch.randn(*s, generator=g)
    a, w, dout = r(128, 784), r(784, 256), r(128, 256)
    x14, f, dy14 = r(128, 32, 14, 14), r(64, 32, 3, 3), r(128, 64, 14, 14)
    x28 = r(128, 32, 28, 28).requires_grad_()
    dpool = r(128, 32, 14, 14)
    xbn, gamma, beta = r(128, 256).requires_grad_(), r(256).requires_grad_(), r(256).requires_grad_()
    xs, hs, cs = r(32, 256), r(32, 256), r(32, 256)
    wx, wh, bl = (r(256, 1024) * 0.05).requires_grad_(), (r(256, 1024) * 0.05).requires_grad_(), r(1024).requires_grad_()
    row, scores, xplain = r(1, 256), r(2048, 65), xbn.detach()

    def conv_grad(mask):
        return lambda: torch.ops.aten.convolution_backward(
            dy14, x14, f, [64], [1, 1], [1, 1], [1, 1], False, [0, 0], 1, mask)

    def pool():
        x28.grad = None
        F.max_pool2d(x28, 2).backward(dpool)

    def bn():
        xbn.grad = gamma.grad = beta.grad = None
        mean = xbn.mean(0)
        var = ((xbn - mean) ** 2).mean(0)
        out = (xbn - mean) / torch.sqrt(var + 1e-5) * gamma + beta
        (out * xbn.detach()).sum().backward()

    def lstm():
        wx.grad = wh.grad = bl.grad = None
        h, c = lstm_step(xs, hs, cs, wx, wh, bl)
        (h.sum() + c.sum()).backward()

    with torch.no_grad():
        nograd = {
            "matmul 128x784·784x256": lambda: a @ w,
            "matmul ᵀ 784x128·128x256 (dW)": lambda: a.t() @ dout,
            "matmul ᵀ 128x256·256x784 (dX)": lambda: dout @ w.t(),
            "conv2d fwd 128x14x14x32 → 64, 3x3": lambda: F.conv2d(x14, f, padding=1),
            "tile [1,256] → [128,256]": lambda: row.repeat(128, 1),
            "tanh [32,256]": lambda: torch.tanh(xs),
            "exp [2048,65]": lambda: torch.exp(scores),
            "logSoftmax [2048,65]": lambda: torch.log_softmax(scores, 1),
            "sum axis 0 [128,256]": lambda: xplain.sum(0),
            "mean axis 0 [128,256]": lambda: xplain.mean(0),
            "sum [784,256]": lambda: w.sum(),
        }
    return {
        **{k: no_grad(v) for k, v in nograd.items()},
        "conv2d dX 128x14x14x64 → 32, 3x3": conv_grad([True, False, False]),
        "conv2d dW 3x3x32x64 from 128x14x14": conv_grad([False, True, False]),
        "maxpool 2x2 fwd+bwd 128x28x28x32": pool,
        "batchnorm fwd+bwd 128x256": bn,
        "LSTM step fwd+bwd 32x256": lstm,
    }


def layers():
    """The hand-written layer passes of bench/layers.ts: name -> one forward + backward pass."""
    g = torch.Generator().manual_seed(0)
    r = lambda *s: torch.randn(*s, generator=g)
    bn = (r(128, 256), r(256), r(256), r(128, 256))
    conv = (r(64, 32, 32, 3), r(3, 3, 3, 32) * 0.2, r(32), r(64, 32, 32, 32))
    lstm = (r(32, 16, 128), r(32, 256), r(128, 1024) * 0.05, r(256, 1024) * 0.05, r(1024), r(32, 16, 256))
    return {
        "BN fwd+bwd 128x256 (by hand)": no_grad(lambda: batchnorm_layer(*bn)),
        "im2col conv fwd+bwd 64x32x32x3 → 32, 3x3": no_grad(lambda: im2col_conv_layer(*conv)),
        "LSTM 16 steps fwd+bwd, 32x128 → 256 (by hand)": no_grad(lambda: lstm_layer(*lstm)),
    }


def batchnorm_layer(x, gamma, beta, dout, eps=1e-5):
    """Batch norm, train mode, and its closed-form backward: bench/layers.ts's batchNormLayer."""
    n = x.shape[0]
    xc = x - x.mean(0)
    istd = torch.rsqrt((xc * xc).mean(0) + eps)
    xhat = xc * istd
    _out = xhat * gamma + beta
    _dbeta, _dgamma = dout.sum(0), (dout * xhat).sum(0)
    dxhat = dout * gamma
    return (istd / n) * ((dxhat * n - dxhat.sum(0)) - xhat * (dxhat * xhat).sum(0))


def im2col_conv_layer(x, w, b, dout):
    """3x3 conv, stride 1, pad 1, NHWC, as im2col + matmul, and back: im2colConvLayer."""
    n, h, wd, c = x.shape
    f = w.shape[3]
    padded = F.pad(x, (0, 0, 1, 1, 1, 1))
    cols = torch.stack([padded[:, i:i + h, j:j + wd, :] for i in range(3) for j in range(3)], 3)
    cols = cols.reshape(n * h * wd, 9 * c)
    w2 = w.reshape(9 * c, f)
    _out = (cols @ w2 + b).reshape(n, h, wd, f)
    dout2 = dout.reshape(n * h * wd, f)
    _dw, _db = (cols.t() @ dout2).reshape(w.shape), dout2.sum(0)
    dcols = (dout2 @ w2.t()).reshape(n, h, wd, 9, c)
    dpadded = sum(F.pad(dcols[:, :, :, k, :], (0, 0, k % 3, 2 - k % 3, k // 3, 2 - k // 3))
                  for k in range(9))
    return dpadded[:, 1:1 + h, 1:1 + wd, :].contiguous()


def lstm_layer(x, h0, wx, wh, b, dh):
    """An LSTM over a sequence and backpropagation through time: bench/layers.ts's lstmLayer."""
    n, steps, _ = x.shape
    hidden = h0.shape[1]
    h, c, cache = h0, torch.zeros(n, hidden), []
    for t in range(steps):
        xt = x[:, t, :]
        ai, af, ao, ag = (xt @ wx + h @ wh + b).chunk(4, dim=1)
        i, f, o, g = torch.sigmoid(ai), torch.sigmoid(af), torch.sigmoid(ao), torch.tanh(ag)
        c_next = f * c + i * g
        tc = torch.tanh(c_next)
        cache.append((xt, h, c, i, f, o, g, tc))
        h, c = o * tc, c_next
    dxs = [None] * steps
    dh_next, dc_next = torch.zeros(n, hidden), torch.zeros(n, hidden)
    dwx, dwh, db = torch.zeros_like(wx), torch.zeros_like(wh), torch.zeros_like(b)
    for t in reversed(range(steps)):
        xt, h_prev, c_prev, i, f, o, g, tc = cache[t]
        dht = dh[:, t, :] + dh_next
        dc = dc_next + dht * o * (1 - tc * tc)
        da = torch.cat([dc * g * (i * (1 - i)), dc * c_prev * (f * (1 - f)),
                        dht * tc * (o * (1 - o)), dc * i * (1 - g * g)], 1)
        dxs[t] = da @ wx.t()
        dh_next, dc_next = da @ wh.t(), dc * f
        dwx, dwh, db = dwx + xt.t() @ da, dwh + h_prev.t() @ da, db + da.sum(0)
    return torch.stack(dxs, 1)


def no_grad(fn):
    def run():
        with torch.no_grad():
            fn()
    return run


def lstm_step(x, h, c, wx, wh, b):
    """One LSTM step, gates in the order i, f, o, g: the math of bench/ops.ts's lstmStep."""
    z = x @ wx + h @ wh + b
    i, f, o, g = z.chunk(4, dim=1)
    c2 = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
    return torch.sigmoid(o) * torch.tanh(c2), c2


def sgd(params, lr):
    with torch.no_grad():
        for p in params:
            p.sub_(lr * p.grad)
            p.grad = None


def mlp_step():
    """784-256-10, batch 128, softmax loss + L2, SGD: bench/models/mlp.ts."""
    g = torch.Generator().manual_seed(0)
    x, y = torch.randn(128, 784, generator=g), torch.randint(0, 10, (128,), generator=g)
    w1 = (torch.randn(784, 256, generator=g) * (2 / 784) ** 0.5).requires_grad_()
    b1 = torch.zeros(256, requires_grad=True)
    w2 = (torch.randn(256, 10, generator=g) * (2 / 256) ** 0.5).requires_grad_()
    b2 = torch.zeros(10, requires_grad=True)
    params = [w1, b1, w2, b2]

    def step():
        scores = F.relu(x @ w1 + b1) @ w2 + b2
        loss = F.cross_entropy(scores, y) + 0.5 * 1e-4 * ((w1 * w1).sum() + (w2 * w2).sum())
        loss.backward()
        sgd(params, 1e-3)
        return loss
    return step, 128


def cnn_step():
    """conv32-pool-conv64-pool-fc128-fc10 on 28x28x1, batch 128: bench/models/cnn.ts."""
    g = torch.Generator().manual_seed(0)
    x, y = torch.randn(128, 1, 28, 28, generator=g), torch.randint(0, 10, (128,), generator=g)
    he = lambda shape, fan_in: (torch.randn(*shape, generator=g) * (2 / fan_in) ** 0.5).requires_grad_()
    c1, c2 = he((32, 1, 3, 3), 9), he((64, 32, 3, 3), 288)
    f1, f2 = he((3136, 128), 3136), he((128, 10), 128)
    bc1, bc2, bf1, bf2 = (torch.zeros(n, requires_grad=True) for n in (32, 64, 128, 10))
    params = [c1, bc1, c2, bc2, f1, bf1, f2, bf2]

    def step():
        h = F.max_pool2d(F.relu(F.conv2d(x, c1, bc1, padding=1)), 2)
        h = F.max_pool2d(F.relu(F.conv2d(h, c2, bc2, padding=1)), 2)
        # tfjs flattens NHWC; the order of the 3136 features does not change the cost.
        h = F.relu(h.permute(0, 2, 3, 1).reshape(128, -1) @ f1 + bf1)
        loss = F.cross_entropy(h @ f2 + bf2, y)
        loss.backward()
        sgd(params, 1e-3)
        return loss
    return step, 128


def rnn_step():
    """Vanilla char-RNN, vocab 65, hidden 256, 64 steps, batch 32: bench/models/char_rnn.ts."""
    g = torch.Generator().manual_seed(0)
    v, hdim, t, n = RNN_VOCAB, RNN_HIDDEN, RNN_SEQ, RNN_BATCH
    chars = torch.randint(0, v, (t + 1, n), generator=g)
    onehot = F.one_hot(chars[:-1], v).float()  # [T, N, V]
    targets = chars[1:].reshape(-1)
    wx = (torch.randn(v, hdim, generator=g) * (1 / v) ** 0.5).requires_grad_()
    wh = (torch.randn(hdim, hdim, generator=g) * (1 / hdim) ** 0.5).requires_grad_()
    wy = (torch.randn(hdim, v, generator=g) * (1 / hdim) ** 0.5).requires_grad_()
    b, by = torch.zeros(hdim, requires_grad=True), torch.zeros(v, requires_grad=True)
    params = [wx, wh, b, wy, by]

    def step():
        xw = (onehot.reshape(t * n, v) @ wx + b).reshape(t, n, hdim)
        h = torch.zeros(n, hdim)
        hs = []
        for i in range(t):
            h = torch.tanh(xw[i] + h @ wh)
            hs.append(h)
        scores = torch.stack(hs).reshape(t * n, hdim) @ wy + by
        loss = F.cross_entropy(scores, targets)
        loss.backward()
        sgd(params, 1e-3)
        return loss
    return step, n


def blas_info():
    """Which BLAS torch's matmuls reach, and the OpenBLAS settings that change its speed."""
    info = {"torchBlas": "unknown"}
    for line in torch.__config__.show().splitlines():
        if "BLAS_INFO" in line:
            info["torchBlas"] = line.split("BLAS_INFO=")[1].split(",")[0]
    try:
        lib = ctypes.CDLL("libopenblas.so.0")
        lib.openblas_get_config.restype = ctypes.c_char_p
        info["openblas"] = lib.openblas_get_config().decode()
        info["openblasThreads"] = lib.openblas_get_num_threads()
    except OSError:
        pass
    info["OPENBLAS_CORETYPE"] = os.environ.get("OPENBLAS_CORETYPE", "(unset)")
    info["OPENBLAS_L2_SIZE"] = os.environ.get("OPENBLAS_L2_SIZE", "(unset)")
    return info


def cpu_model():
    """The CPU's model name, from /proc/cpuinfo (Linux), or "CPU model unknown"."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "CPU model unknown"


def benchmarks():
    """Name -> a function making (one-iteration function, examples per iteration or None)."""
    table = {f"op: {k}": (lambda v=v: (v, None)) for k, v in ops().items()}
    table.update({f"layer: {k}": (lambda v=v: (v, None)) for k, v in layers().items()})
    steps = {"MLP 784-256-10, batch 128": mlp_step, "CNN 28x28, batch 128": cnn_step,
             "char-RNN h256 seq64, batch 32": rnn_step}
    table.update({f"step: {k}": v for k, v in steps.items()})
    return table


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--serve", action="store_true", help="answer one run per name read (required)")
    p.add_argument("--target-ms", type=float, default=300)
    args = p.parse_args()
    if not args.serve:
        p.error("run by bench/bench.ts with --serve")
    torch.manual_seed(0)
    table, ready = benchmarks(), {}
    meta = {"torch": torch.__version__, "threads": torch.get_num_threads(), "cpu": cpu_model(),
            **blas_info()}
    print(json.dumps({"meta": meta}), flush=True)
    for line in sys.stdin:
        name = line.strip()
        if name not in table:
            print(json.dumps({"error": f"unknown benchmark {name!r}"}), flush=True)
            continue
        if name not in ready:
            fn, _ = table[name]()
            first_ms, n = warm_up(fn, args.target_ms)
            ready[name] = (fn, n, first_ms)
        fn, n, first_ms = ready[name]
        print(json.dumps({"ms": time_run(fn, n), "iterations": n, "firstMs": first_ms}), flush=True)


if __name__ == "__main__":
    main()
