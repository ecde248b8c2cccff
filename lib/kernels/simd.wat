;; gradlab's SIMD kernels for tfjs-wasm: elementwise tanh, exp, sigmoid, relu, neg and abs;
;; add, sub, mul and div with the broadcasts training uses; row and column sums; strided
;; copies; four floats at a time (128-bit WebAssembly SIMD, as tfjs's own build uses). They run on the calling thread: unlike tfjs's
;; XNNPACK kernels, they never wait for its other threads, which a busy machine may not run.
;;
;; The module owns no memory: it imports tfjs's (lib/kernels/simd.ts passes it in), and every
;; argument named x, y or out is a byte offset into it, where a tensor's float32 values lie.
;; Outputs never overlap inputs (tfjs gives every kernel a fresh output).
;;
;; Built into lib/kernels/simd_binary.ts by `deno task build:simd`, twice: as written here,
;; for tfjs's one-thread build, and with a shared memory, for its threaded build.
(module
  (import "env" "memory" (memory 1))

  ;; ---- elementwise: y[i] = f(x[i]) for i < n -----------------------------------------------
  ;; Four floats per step; the last step takes the 1–3 left over (and 0s in the other lanes),
  ;; so every element gets the same arithmetic. The constants are immutable globals, which V8
  ;; compiles as constants. The arithmetic is written inside each loop: V8 would not inline a
  ;; function this large, and a call per step costs half as much again.

  ;; The four floats at x, or the 1–3 before `end` (the other lanes 0).
  (func $load (param $x i32) (param $end i32) (result v128)
    (local $v v128)
    (if (i32.ge_u (i32.sub (local.get $end) (local.get $x)) (i32.const 16))
      (then (return (v128.load (local.get $x)))))
    (local.set $v (f32x4.replace_lane 0 (v128.const i32x4 0 0 0 0) (f32.load (local.get $x))))
    (if (i32.ge_u (i32.sub (local.get $end) (local.get $x)) (i32.const 8))
      (then (local.set $v (f32x4.replace_lane 1 (local.get $v) (f32.load offset=4 (local.get $x))))))
    (if (i32.ge_u (i32.sub (local.get $end) (local.get $x)) (i32.const 12))
      (then (local.set $v (f32x4.replace_lane 2 (local.get $v) (f32.load offset=8 (local.get $x))))))
    (local.get $v))

  ;; Stores the four floats of v at y, or as many as lie before `end`.
  (func $store (param $y i32) (param $v v128) (param $end i32)
    (if (i32.ge_u (i32.sub (local.get $end) (local.get $y)) (i32.const 16))
      (then (v128.store (local.get $y) (local.get $v)) (return)))
    (f32.store (local.get $y) (f32x4.extract_lane 0 (local.get $v)))
    (if (i32.ge_u (i32.sub (local.get $end) (local.get $y)) (i32.const 8))
      (then (f32.store offset=4 (local.get $y) (f32x4.extract_lane 1 (local.get $v)))))
    (if (i32.ge_u (i32.sub (local.get $end) (local.get $y)) (i32.const 12))
      (then (f32.store offset=8 (local.get $y) (f32x4.extract_lane 2 (local.get $v))))))

  ;; tanh: Eigen's float tanh. x is clamped to ±7.9053 (where tanh rounds to ±1), then
  ;; tanh(x) = p(x)/q(x), p odd of degree 13, q even of degree 6 (in x² by Horner's rule);
  ;; |x| < 0.0004 gives x itself, and NaN stays NaN.
  (global $tanhMax v128 (v128.const f32x4 7.90531110763549805 7.90531110763549805 7.90531110763549805 7.90531110763549805))
  (global $tanhSmall v128 (v128.const f32x4 0.0004 0.0004 0.0004 0.0004))
  (global $tanhP0 v128 (v128.const f32x4 -2.76076847742355e-16 -2.76076847742355e-16 -2.76076847742355e-16 -2.76076847742355e-16))
  (global $tanhP1 v128 (v128.const f32x4 2.00018790482477e-13 2.00018790482477e-13 2.00018790482477e-13 2.00018790482477e-13))
  (global $tanhP2 v128 (v128.const f32x4 -8.60467152213735e-11 -8.60467152213735e-11 -8.60467152213735e-11 -8.60467152213735e-11))
  (global $tanhP3 v128 (v128.const f32x4 5.12229709037114e-08 5.12229709037114e-08 5.12229709037114e-08 5.12229709037114e-08))
  (global $tanhP4 v128 (v128.const f32x4 1.48572235717979e-05 1.48572235717979e-05 1.48572235717979e-05 1.48572235717979e-05))
  (global $tanhP5 v128 (v128.const f32x4 6.37261928875436e-04 6.37261928875436e-04 6.37261928875436e-04 6.37261928875436e-04))
  (global $tanhP6 v128 (v128.const f32x4 4.89352455891786e-03 4.89352455891786e-03 4.89352455891786e-03 4.89352455891786e-03))
  (global $tanhQ0 v128 (v128.const f32x4 1.19825839466702e-06 1.19825839466702e-06 1.19825839466702e-06 1.19825839466702e-06))
  (global $tanhQ1 v128 (v128.const f32x4 1.18534705686654e-04 1.18534705686654e-04 1.18534705686654e-04 1.18534705686654e-04))
  (global $tanhQ2 v128 (v128.const f32x4 2.26843463243900e-03 2.26843463243900e-03 2.26843463243900e-03 2.26843463243900e-03))
  (global $tanhQ3 v128 (v128.const f32x4 4.89352518554385e-03 4.89352518554385e-03 4.89352518554385e-03 4.89352518554385e-03))
  (func (export "tanh") (param $x i32) (param $y i32) (param $n i32)
    (local $xEnd i32) (local $yEnd i32) (local $v v128) (local $c v128) (local $c2 v128)
    (local $p v128) (local $q v128)
    (local.set $xEnd (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $yEnd (i32.add (local.get $y) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $x) (local.get $xEnd)))
        (local.set $v (call $load (local.get $x) (local.get $xEnd)))
        (local.set $c (f32x4.pmax (f32x4.neg (global.get $tanhMax))
          (f32x4.pmin (global.get $tanhMax) (local.get $v))))
        (local.set $c2 (f32x4.mul (local.get $c) (local.get $c)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $c2) (global.get $tanhP0)) (global.get $tanhP1)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $c2) (local.get $p)) (global.get $tanhP2)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $c2) (local.get $p)) (global.get $tanhP3)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $c2) (local.get $p)) (global.get $tanhP4)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $c2) (local.get $p)) (global.get $tanhP5)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $c2) (local.get $p)) (global.get $tanhP6)))
        (local.set $p (f32x4.mul (local.get $c) (local.get $p)))
        (local.set $q (f32x4.add (f32x4.mul (local.get $c2) (global.get $tanhQ0)) (global.get $tanhQ1)))
        (local.set $q (f32x4.add (f32x4.mul (local.get $c2) (local.get $q)) (global.get $tanhQ2)))
        (local.set $q (f32x4.add (f32x4.mul (local.get $c2) (local.get $q)) (global.get $tanhQ3)))
        (call $store (local.get $y)
          (v128.bitselect
            (local.get $v)
            (f32x4.div (local.get $p) (local.get $q))
            (v128.or
              (f32x4.lt (f32x4.abs (local.get $v)) (global.get $tanhSmall))
              (f32x4.ne (local.get $v) (local.get $v))))
          (local.get $yEnd))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (br $step))))

  ;; exp: Cephes' expf. exp(x) = 2ⁿ·exp(r) with n = round(x·log₂e) and r = x − n·ln 2 (ln 2 in
  ;; two parts, so r is exact), exp(r) = 1 + r + r²·P(r), P of degree 5; 2ⁿ as two powers of
  ;; two, each a normal float, so a subnormal result is rounded once. Below ln 2⁻¹⁵⁰ it gives 0,
  ;; above ln FLT_MAX +∞, and NaN stays NaN.
  ;; sigmoid(x) = 1 / (1 + exp(−x)), by the same code, so 0 where exp(−x) overflows (x < −88.7).
  (global $expMin v128 (v128.const f32x4 -103.972077083991796 -103.972077083991796 -103.972077083991796 -103.972077083991796))
  (global $expMax v128 (v128.const f32x4 88.7228391116729 88.7228391116729 88.7228391116729 88.7228391116729))
  (global $log2e v128 (v128.const f32x4 1.44269504088896341 1.44269504088896341 1.44269504088896341 1.44269504088896341))
  (global $half v128 (v128.const f32x4 0.5 0.5 0.5 0.5))
  (global $one v128 (v128.const f32x4 1 1 1 1))
  (global $ln2Hi v128 (v128.const f32x4 0.693359375 0.693359375 0.693359375 0.693359375))
  (global $ln2Lo v128 (v128.const f32x4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4))
  (global $expBias v128 (v128.const i32x4 127 127 127 127))
  (global $inf v128 (v128.const f32x4 inf inf inf inf))
  (global $expP0 v128 (v128.const f32x4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4))
  (global $expP1 v128 (v128.const f32x4 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3))
  (global $expP2 v128 (v128.const f32x4 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3))
  (global $expP3 v128 (v128.const f32x4 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2))
  (global $expP4 v128 (v128.const f32x4 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1))
  (global $expP5 v128 (v128.const f32x4 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1))
  (func (export "exp") (param $x i32) (param $y i32) (param $n i32)
    (call $expOrSigmoid (local.get $x) (local.get $y) (local.get $n) (i32.const 0)))

  (func (export "sigmoid") (param $x i32) (param $y i32) (param $n i32)
    (call $expOrSigmoid (local.get $x) (local.get $y) (local.get $n) (i32.const 1)))

  (func $expOrSigmoid (param $x i32) (param $y i32) (param $n i32) (param $sigmoid i32)
    (local $xEnd i32) (local $yEnd i32) (local $v v128) (local $c v128) (local $fx v128)
    (local $r v128) (local $e v128) (local $k v128) (local $h v128)
    (local.set $xEnd (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $yEnd (i32.add (local.get $y) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $x) (local.get $xEnd)))
        (local.set $v (call $load (local.get $x) (local.get $xEnd)))
        (if (local.get $sigmoid) (then (local.set $v (f32x4.neg (local.get $v)))))
        (local.set $c (f32x4.pmax (global.get $expMin) (f32x4.pmin (global.get $expMax) (local.get $v))))
        (local.set $fx (f32x4.floor
          (f32x4.add (f32x4.mul (local.get $c) (global.get $log2e)) (global.get $half))))
        (local.set $r (f32x4.sub (local.get $c) (f32x4.mul (local.get $fx) (global.get $ln2Hi))))
        (local.set $r (f32x4.sub (local.get $r) (f32x4.mul (local.get $fx) (global.get $ln2Lo))))
        (local.set $e (f32x4.add (f32x4.mul (local.get $r) (global.get $expP0)) (global.get $expP1)))
        (local.set $e (f32x4.add (f32x4.mul (local.get $r) (local.get $e)) (global.get $expP2)))
        (local.set $e (f32x4.add (f32x4.mul (local.get $r) (local.get $e)) (global.get $expP3)))
        (local.set $e (f32x4.add (f32x4.mul (local.get $r) (local.get $e)) (global.get $expP4)))
        (local.set $e (f32x4.add (f32x4.mul (local.get $r) (local.get $e)) (global.get $expP5)))
        (local.set $e (f32x4.add
          (f32x4.add (f32x4.mul (f32x4.mul (local.get $r) (local.get $r)) (local.get $e))
                     (local.get $r))
          (global.get $one)))
        ;; 2ⁿ = 2^h · 2^(n−h) with h = n >> 1: a float whose exponent field is m + 127 is 2^m
        (local.set $k (i32x4.trunc_sat_f32x4_s (local.get $fx)))
        (local.set $h (i32x4.shr_s (local.get $k) (i32.const 1)))
        (local.set $e (f32x4.mul (local.get $e)
          (i32x4.shl (i32x4.add (local.get $h) (global.get $expBias)) (i32.const 23))))
        (local.set $e (f32x4.mul (local.get $e)
          (i32x4.shl (i32x4.add (i32x4.sub (local.get $k) (local.get $h)) (global.get $expBias))
                     (i32.const 23))))
        (local.set $e (v128.andnot (local.get $e) (f32x4.lt (local.get $v) (global.get $expMin))))
        (local.set $e (v128.bitselect (global.get $inf) (local.get $e)
          (f32x4.gt (local.get $v) (global.get $expMax))))
        (local.set $e (v128.bitselect (local.get $v) (local.get $e)
          (f32x4.ne (local.get $v) (local.get $v))))
        (if (local.get $sigmoid)
          (then (local.set $e
            (f32x4.div (global.get $one) (f32x4.add (global.get $one) (local.get $e))))))
        (call $store (local.get $y) (local.get $e) (local.get $yEnd))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (br $step))))

  ;; relu(x) = max(x, 0): −0 gives 0, and NaN stays NaN.
  (func (export "relu") (param $x i32) (param $y i32) (param $n i32)
    (local $xEnd i32) (local $yEnd i32)
    (local.set $xEnd (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $yEnd (i32.add (local.get $y) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $x) (local.get $xEnd)))
        (call $store (local.get $y)
          (f32x4.max (call $load (local.get $x) (local.get $xEnd)) (v128.const i32x4 0 0 0 0))
          (local.get $yEnd))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (br $step))))

  ;; neg(x) = −x and abs(x) = |x|, by the sign bit alone: y = (x & keep) ^ flip, lane by lane.
  (func (export "neg") (param $x i32) (param $y i32) (param $n i32)
    (call $signBit (local.get $x) (local.get $y) (local.get $n)
      (i32.const -1) (i32.const 0x80000000)))

  (func (export "abs") (param $x i32) (param $y i32) (param $n i32)
    (call $signBit (local.get $x) (local.get $y) (local.get $n)
      (i32.const 0x7fffffff) (i32.const 0)))

  (func $signBit (param $x i32) (param $y i32) (param $n i32) (param $keep i32) (param $flip i32)
    (local $xEnd i32) (local $yEnd i32) (local $k v128) (local $f v128)
    (local.set $k (i32x4.splat (local.get $keep)))
    (local.set $f (i32x4.splat (local.get $flip)))
    (local.set $xEnd (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $yEnd (i32.add (local.get $y) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $x) (local.get $xEnd)))
        (call $store (local.get $y)
          (v128.xor (v128.and (call $load (local.get $x) (local.get $xEnd)) (local.get $k))
            (local.get $f))
          (local.get $yEnd))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (br $step))))

  ;; ---- binary arithmetic: out[r, j] = a[r, j] ∘ b[r, j] ------------------------------------
  ;; simd_build.ts writes this function once for each of add, sub, mul and div, in place of
  ;; OP. The result is [rows, cols]; row r of a starts aRow floats after row r − 1's (cols for a
  ;; matrix, 0 for one row repeated, 1 for one float per row), and likewise b. `kind` says which
  ;; operand is a vector along the row: 0 both, 1 only a (b one float per row), 2 only b. Plain
  ;; IEEE float32 arithmetic element by element, as tfjs's XNNPACK kernels do: the same bits.
  (func (export "OP") (param $a i32) (param $aRow i32) (param $b i32) (param $bRow i32)
      (param $out i32) (param $rows i32) (param $cols i32) (param $kind i32)
    (local $i i32) (local $end i32) (local $x i32) (local $y i32) (local $o i32)
    (local.set $end (i32.and (local.get $cols) (i32.const -4)))
    (local.set $aRow (i32.shl (local.get $aRow) (i32.const 2)))
    (local.set $bRow (i32.shl (local.get $bRow) (i32.const 2)))
    (block $rowsDone
      (loop $row
        (br_if $rowsDone (i32.eqz (local.get $rows)))
        (local.set $x (local.get $a))
        (local.set $y (local.get $b))
        (local.set $o (local.get $out))
        (local.set $i (i32.const 0))
        ;; four at a time, in the loop for this kind of operands
        (block $done
          (loop $both
            (br_if $done (i32.or (i32.ne (local.get $kind) (i32.const 0))
                                 (i32.ge_u (local.get $i) (local.get $end))))
            (v128.store (local.get $o) (f32x4.OP (v128.load (local.get $x)) (v128.load (local.get $y))))
            (local.set $x (i32.add (local.get $x) (i32.const 16)))
            (local.set $y (i32.add (local.get $y) (i32.const 16)))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $both)))
        (block $done
          (loop $onlyA
            (br_if $done (i32.or (i32.ne (local.get $kind) (i32.const 1))
                                 (i32.ge_u (local.get $i) (local.get $end))))
            (v128.store (local.get $o) (f32x4.OP (v128.load (local.get $x)) (v128.load32_splat (local.get $y))))
            (local.set $x (i32.add (local.get $x) (i32.const 16)))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $onlyA)))
        (block $done
          (loop $onlyB
            (br_if $done (i32.or (i32.ne (local.get $kind) (i32.const 2))
                                 (i32.ge_u (local.get $i) (local.get $end))))
            (v128.store (local.get $o) (f32x4.OP (v128.load32_splat (local.get $x)) (v128.load (local.get $y))))
            (local.set $y (i32.add (local.get $y) (i32.const 16)))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $onlyB)))
        ;; the rest of the row, one at a time (a one-float operand stays where it is)
        (block $done
          (loop $one
            (br_if $done (i32.ge_u (local.get $i) (local.get $cols)))
            (f32.store (local.get $o) (f32.OP (f32.load (local.get $x)) (f32.load (local.get $y))))
            (if (i32.ne (local.get $kind) (i32.const 2))
              (then (local.set $x (i32.add (local.get $x) (i32.const 4)))))
            (if (i32.ne (local.get $kind) (i32.const 1))
              (then (local.set $y (i32.add (local.get $y) (i32.const 4)))))
            (local.set $o (i32.add (local.get $o) (i32.const 4)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $one)))
        (local.set $a (i32.add (local.get $a) (local.get $aRow)))
        (local.set $b (i32.add (local.get $b) (local.get $bRow)))
        (local.set $out (i32.add (local.get $out) (i32.shl (local.get $cols) (i32.const 2))))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $row))))
  ;; end of OP

  ;; ---- copies ---------------------------------------------------------------------------
  ;; copy_rows: `rows` runs of `floats` floats each, the r-th from src + r·srcStep bytes to
  ;; dst + r·dstStep: a strided block, as slicing, stacking, concatenating and padding move them.
  ;; Runs of one float have a loop of their own; short runs are copied sixteen bytes, then
  ;; four, at a time (a memory.copy costs ~15 ns however short); runs of 32 floats and more by
  ;; memory.copy.
  (func (export "copy_rows") (param $src i32) (param $srcStep i32) (param $dst i32)
      (param $dstStep i32) (param $rows i32) (param $floats i32)
    (local $bytes i32) (local $i i32) (local $fours i32)
    (if (i32.eq (local.get $floats) (i32.const 1))
      (then
        (block $done
          (loop $one
            (br_if $done (i32.eqz (local.get $rows)))
            (i32.store (local.get $dst) (i32.load (local.get $src)))
            (local.set $src (i32.add (local.get $src) (local.get $srcStep)))
            (local.set $dst (i32.add (local.get $dst) (local.get $dstStep)))
            (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
            (br $one)))
        (return)))
    (local.set $bytes (i32.shl (local.get $floats) (i32.const 2)))
    (local.set $fours (i32.and (local.get $bytes) (i32.const -16)))
    (block $done
      (loop $row
        (br_if $done (i32.eqz (local.get $rows)))
        (if (i32.ge_u (local.get $floats) (i32.const 32))
          (then (memory.copy (local.get $dst) (local.get $src) (local.get $bytes)))
          (else
            (local.set $i (i32.const 0))
            (block $short
              (loop $sixteen
                (br_if $short (i32.ge_u (local.get $i) (local.get $fours)))
                (v128.store (i32.add (local.get $dst) (local.get $i))
                  (v128.load (i32.add (local.get $src) (local.get $i))))
                (local.set $i (i32.add (local.get $i) (i32.const 16)))
                (br $sixteen)))
            (block $rest
              (loop $four
                (br_if $rest (i32.ge_u (local.get $i) (local.get $bytes)))
                (i32.store (i32.add (local.get $dst) (local.get $i))
                  (i32.load (i32.add (local.get $src) (local.get $i))))
                (local.set $i (i32.add (local.get $i) (i32.const 4)))
                (br $four)))))
        (local.set $src (i32.add (local.get $src) (local.get $srcStep)))
        (local.set $dst (i32.add (local.get $dst) (local.get $dstStep)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $row))))

  ;; add_rows: like copy_rows, but adds each run into the one at dst (float32, lane by lane).
  (func (export "add_rows") (param $src i32) (param $srcStep i32) (param $dst i32)
      (param $dstStep i32) (param $rows i32) (param $floats i32)
    (local $bytes i32) (local $i i32) (local $fours i32) (local $s i32) (local $d i32)
    (local.set $bytes (i32.shl (local.get $floats) (i32.const 2)))
    (local.set $fours (i32.and (local.get $bytes) (i32.const -16)))
    (block $done
      (loop $row
        (br_if $done (i32.eqz (local.get $rows)))
        (local.set $i (i32.const 0))
        (block $short
          (loop $sixteen
            (br_if $short (i32.ge_u (local.get $i) (local.get $fours)))
            (local.set $s (i32.add (local.get $src) (local.get $i)))
            (local.set $d (i32.add (local.get $dst) (local.get $i)))
            (v128.store (local.get $d) (f32x4.add (v128.load (local.get $d)) (v128.load (local.get $s))))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $sixteen)))
        (block $rest
          (loop $four
            (br_if $rest (i32.ge_u (local.get $i) (local.get $bytes)))
            (local.set $s (i32.add (local.get $src) (local.get $i)))
            (local.set $d (i32.add (local.get $dst) (local.get $i)))
            (f32.store (local.get $d) (f32.add (f32.load (local.get $d)) (f32.load (local.get $s))))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $four)))
        (local.set $src (i32.add (local.get $src) (local.get $srcStep)))
        (local.set $dst (i32.add (local.get $dst) (local.get $dstStep)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $row))))

  ;; zero_rows: sets `rows` runs of `floats` floats to 0, the r-th at dst + r·dstStep bytes.
  (func (export "zero_rows") (param $dst i32) (param $dstStep i32) (param $rows i32)
      (param $floats i32)
    (block $done
      (loop $row
        (br_if $done (i32.eqz (local.get $rows)))
        (memory.fill (local.get $dst) (i32.const 0) (i32.shl (local.get $floats) (i32.const 2)))
        (local.set $dst (i32.add (local.get $dst) (local.get $dstStep)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $row))))

  ;; ---- transpose of a [rows, cols] matrix: out[j, i] = x[i, j] --------------------------------
  ;; Four rows and four columns at a time: a 4×4 block is read as four vectors, transposed by
  ;; shuffles and written as four; the last rows mod 4 and columns mod 4 one float at a time.
  (func (export "transpose") (param $x i32) (param $out i32) (param $rows i32) (param $cols i32)
    (local $i i32) (local $j i32) (local $rows4 i32) (local $cols4 i32) (local $p i32) (local $q i32)
    (local $rowBytes i32) (local $colBytes i32)
    (local $a v128) (local $b v128) (local $c v128) (local $d v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $rows4 (i32.and (local.get $rows) (i32.const -4)))
    (local.set $cols4 (i32.and (local.get $cols) (i32.const -4)))
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2))) ;; one row of x
    (local.set $colBytes (i32.shl (local.get $rows) (i32.const 2))) ;; one row of out
    (local.set $i (i32.const 0))
    (block $blockRowsDone
      (loop $blockRow
        (br_if $blockRowsDone (i32.ge_u (local.get $i) (local.get $rows4)))
        (local.set $j (i32.const 0))
        (block $blocksDone
          (loop $block
            (br_if $blocksDone (i32.ge_u (local.get $j) (local.get $cols4)))
            (local.set $p (i32.add (local.get $x)
              (i32.shl (i32.add (i32.mul (local.get $i) (local.get $cols)) (local.get $j)) (i32.const 2))))
            (local.set $a (v128.load (local.get $p)))
            (local.set $b (v128.load (i32.add (local.get $p) (local.get $rowBytes))))
            (local.set $c (v128.load (i32.add (local.get $p) (i32.shl (local.get $rowBytes) (i32.const 1)))))
            (local.set $d (v128.load (i32.add (local.get $p) (i32.mul (local.get $rowBytes) (i32.const 3)))))
            ;; t0 = a0 b0 a1 b1, t1 = a2 b2 a3 b3, t2 = c0 d0 c1 d1, t3 = c2 d2 c3 d3
            (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a) (local.get $b)))
            (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a) (local.get $b)))
            (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $c) (local.get $d)))
            (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $c) (local.get $d)))
            (local.set $q (i32.add (local.get $out)
              (i32.shl (i32.add (i32.mul (local.get $j) (local.get $rows)) (local.get $i)) (i32.const 2))))
            ;; column k of the block: a_k b_k c_k d_k
            (v128.store (local.get $q)
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
            (v128.store (i32.add (local.get $q) (local.get $colBytes))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
            (v128.store (i32.add (local.get $q) (i32.shl (local.get $colBytes) (i32.const 1)))
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
            (v128.store (i32.add (local.get $q) (i32.mul (local.get $colBytes) (i32.const 3)))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $block)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $blockRow)))
    ;; the columns past the last block, for the rows in blocks; then the rows past them, whole
    (call $transposeScalar (local.get $x) (local.get $out) (local.get $rows) (local.get $cols)
      (i32.const 0) (local.get $rows4) (local.get $cols4) (local.get $cols))
    (call $transposeScalar (local.get $x) (local.get $out) (local.get $rows) (local.get $cols)
      (local.get $rows4) (local.get $rows) (i32.const 0) (local.get $cols)))

  ;; out[j, i] = x[i, j] for i0 ≤ i < i1, j0 ≤ j < j1, one float at a time.
  (func $transposeScalar (param $x i32) (param $out i32) (param $rows i32) (param $cols i32)
      (param $i0 i32) (param $i1 i32) (param $j0 i32) (param $j1 i32)
    (local $i i32) (local $j i32)
    (local.set $i (local.get $i0))
    (block $rowsDone
      (loop $row
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $i1)))
        (local.set $j (local.get $j0))
        (block $colsDone
          (loop $col
            (br_if $colsDone (i32.ge_u (local.get $j) (local.get $j1)))
            (i32.store
              (i32.add (local.get $out)
                (i32.shl (i32.add (i32.mul (local.get $j) (local.get $rows)) (local.get $i)) (i32.const 2)))
              (i32.load (i32.add (local.get $x)
                (i32.shl (i32.add (i32.mul (local.get $i) (local.get $cols)) (local.get $j)) (i32.const 2)))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $col)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $row))))

  ;; ---- max pooling's gradient, one window ---------------------------------------------------
  ;; For each of c channels, the window's first maximum (row by row, strictly greater, so NaN
  ;; never wins) gets dy added: the window's taps are rows × cols pixels, the first at byte x,
  ;; rows rowStep bytes apart and taps colStep bytes apart within a row; channel k of a pixel
  ;; is 4k bytes on. dy holds the window's c values; dx lies `toDx` bytes after x's layout.
  (func (export "max_pool_grad") (param $x i32) (param $toDx i32) (param $dy i32)
      (param $rowStep i32) (param $colStep i32) (param $rows i32) (param $cols i32) (param $c i32)
    (local $k i32) (local $i i32) (local $j i32) (local $p i32) (local $at i32)
    (local $best v128) (local $where v128) (local $v v128) (local $more v128) (local $lanes v128)
    (local $bestOne f32) (local $whereOne i32)
    (local.set $lanes (v128.const i32x4 0 4 8 12))
    ;; four channels at a time
    (block $fours
      (loop $four
        (br_if $fours (i32.gt_u (i32.add (local.get $k) (i32.const 4)) (local.get $c)))
        (local.set $best (f32x4.splat (f32.const -inf)))
        (local.set $where (i32x4.splat (i32.const -1)))
        (local.set $i (i32.const 0))
        (block $rowsDone
          (loop $row
            (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $rows)))
            (local.set $p (i32.add (i32.add (local.get $x) (i32.shl (local.get $k) (i32.const 2)))
              (i32.mul (local.get $i) (local.get $rowStep))))
            (local.set $j (i32.const 0))
            (block $colsDone
              (loop $col
                (br_if $colsDone (i32.ge_u (local.get $j) (local.get $cols)))
                (local.set $v (v128.load (local.get $p)))
                (local.set $more (f32x4.gt (local.get $v) (local.get $best)))
                (local.set $best (v128.bitselect (local.get $v) (local.get $best) (local.get $more)))
                (local.set $where (v128.bitselect
                  (i32x4.add (i32x4.splat (local.get $p)) (local.get $lanes))
                  (local.get $where) (local.get $more)))
                (local.set $p (i32.add (local.get $p) (local.get $colStep)))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $col)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $row)))
        ;; dx[where] += dy, lane by lane, in channel order
        (local.set $at (i32.add (local.get $dy) (i32.shl (local.get $k) (i32.const 2))))
        (call $addAt (i32x4.extract_lane 0 (local.get $where)) (local.get $toDx) (local.get $at))
        (call $addAt (i32x4.extract_lane 1 (local.get $where)) (local.get $toDx)
          (i32.add (local.get $at) (i32.const 4)))
        (call $addAt (i32x4.extract_lane 2 (local.get $where)) (local.get $toDx)
          (i32.add (local.get $at) (i32.const 8)))
        (call $addAt (i32x4.extract_lane 3 (local.get $where)) (local.get $toDx)
          (i32.add (local.get $at) (i32.const 12)))
        (local.set $k (i32.add (local.get $k) (i32.const 4)))
        (br $four)))
    ;; the last c mod 4 channels one at a time
    (block $ones
      (loop $one
        (br_if $ones (i32.ge_u (local.get $k) (local.get $c)))
        (local.set $bestOne (f32.const -inf))
        (local.set $whereOne (i32.const -1))
        (local.set $i (i32.const 0))
        (block $rowsDone
          (loop $row
            (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $rows)))
            (local.set $p (i32.add (i32.add (local.get $x) (i32.shl (local.get $k) (i32.const 2)))
              (i32.mul (local.get $i) (local.get $rowStep))))
            (local.set $j (i32.const 0))
            (block $colsDone
              (loop $col
                (br_if $colsDone (i32.ge_u (local.get $j) (local.get $cols)))
                (if (f32.gt (f32.load (local.get $p)) (local.get $bestOne))
                  (then
                    (local.set $bestOne (f32.load (local.get $p)))
                    (local.set $whereOne (local.get $p))))
                (local.set $p (i32.add (local.get $p) (local.get $colStep)))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $col)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $row)))
        (call $addAt (local.get $whereOne) (local.get $toDx)
          (i32.add (local.get $dy) (i32.shl (local.get $k) (i32.const 2))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $one))))

  ;; The float at byte `at` + toDx gets the one at `from` added, unless `at` is −1 (no maximum).
  (func $addAt (param $at i32) (param $toDx i32) (param $from i32)
    (if (i32.ne (local.get $at) (i32.const -1))
      (then
        (local.set $at (i32.add (local.get $at) (local.get $toDx)))
        (f32.store (local.get $at) (f32.add (f32.load (local.get $at)) (f32.load (local.get $from)))))))

  ;; ---- sums of a [rows, cols] matrix -------------------------------------------------------
  ;; sum_columns: out[j] = Σᵢ x[i, j], adding the rows in order (0 + x[0, j] + x[1, j] + …),
  ;; each column in float32: the same order, so the same bits, as a plain loop over rows.
  (func (export "sum_columns") (param $x i32) (param $out i32) (param $rows i32) (param $cols i32)
    (local $o i32) (local $vecEnd i32) (local $end i32) (local $rowEnd i32)
    (local.set $vecEnd (i32.add (local.get $out) (i32.shl (i32.and (local.get $cols) (i32.const -4)) (i32.const 2))))
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $cols) (i32.const 2))))
    (memory.fill (local.get $out) (i32.const 0) (i32.shl (local.get $cols) (i32.const 2)))
    (block $rowsDone
      (loop $row
        (br_if $rowsDone (i32.eqz (local.get $rows)))
        (local.set $o (local.get $out))
        (block $done
          (loop $four
            (br_if $done (i32.ge_u (local.get $o) (local.get $vecEnd)))
            (v128.store (local.get $o) (f32x4.add (v128.load (local.get $o)) (v128.load (local.get $x))))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (local.set $x (i32.add (local.get $x) (i32.const 16)))
            (br $four)))
        (block $done
          (loop $one
            (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
            (f32.store (local.get $o) (f32.add (f32.load (local.get $o)) (f32.load (local.get $x))))
            (local.set $o (i32.add (local.get $o) (i32.const 4)))
            (local.set $x (i32.add (local.get $x) (i32.const 4)))
            (br $one)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $row))))

  ;; sum_rows: out[i] = Σⱼ x[i, j], in float32, adding each row from left to right (0 + x[i, 0] +
  ;; x[i, 1] + …) as tfjs's own kernel does, so the same bits. A row's sum is a chain of
  ;; dependent adds; four rows are summed side by side, so that four chains run at once.
  (func (export "sum_rows") (param $x i32) (param $out i32) (param $rows i32) (param $cols i32)
    (local $rowBytes i32) (local $p i32) (local $end i32)
    (local $a f32) (local $b f32) (local $c f32) (local $d f32)
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))
    (block $foursDone
      (loop $four
        (br_if $foursDone (i32.lt_u (local.get $rows) (i32.const 4)))
        (local.set $a (f32.const 0))
        (local.set $b (f32.const 0))
        (local.set $c (f32.const 0))
        (local.set $d (f32.const 0))
        (local.set $p (local.get $x))
        (local.set $end (i32.add (local.get $x) (local.get $rowBytes)))
        (block $done
          (loop $col
            (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
            (local.set $a (f32.add (local.get $a) (f32.load (local.get $p))))
            (local.set $b (f32.add (local.get $b)
              (f32.load (i32.add (local.get $p) (local.get $rowBytes)))))
            (local.set $c (f32.add (local.get $c)
              (f32.load (i32.add (local.get $p) (i32.shl (local.get $rowBytes) (i32.const 1))))))
            (local.set $d (f32.add (local.get $d)
              (f32.load (i32.add (local.get $p) (i32.mul (local.get $rowBytes) (i32.const 3))))))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (br $col)))
        (f32.store offset=0 (local.get $out) (local.get $a))
        (f32.store offset=4 (local.get $out) (local.get $b))
        (f32.store offset=8 (local.get $out) (local.get $c))
        (f32.store offset=12 (local.get $out) (local.get $d))
        (local.set $x (i32.add (local.get $x) (i32.shl (local.get $rowBytes) (i32.const 2))))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 4)))
        (br $four)))
    (block $rowsDone
      (loop $row
        (br_if $rowsDone (i32.eqz (local.get $rows)))
        (local.set $a (f32.const 0))
        (local.set $end (i32.add (local.get $x) (local.get $rowBytes)))
        (block $done
          (loop $col
            (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
            (local.set $a (f32.add (local.get $a) (f32.load (local.get $x))))
            (local.set $x (i32.add (local.get $x) (i32.const 4)))
            (br $col)))
        (f32.store (local.get $out) (local.get $a))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $row))))
)
