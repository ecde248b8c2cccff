;; gradlab's SIMD kernels for tfjs-wasm: elementwise tanh and exp, and row and column sums,
;; four floats at a time (128-bit WebAssembly SIMD, as tfjs's own build uses).
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
  ;; so every element gets the same arithmetic. The constants are splatted once, before the
  ;; loop: V8 would otherwise build each of them anew on every step.

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
  (func (export "tanh") (param $x i32) (param $y i32) (param $n i32)
    (local $xEnd i32) (local $yEnd i32) (local $v v128) (local $c v128) (local $c2 v128)
    (local $p v128) (local $q v128)
    (local $lo v128) (local $hi v128) (local $small v128)
    (local $p0 v128) (local $p1 v128) (local $p2 v128) (local $p3 v128) (local $p4 v128)
    (local $p5 v128) (local $p6 v128)
    (local $q0 v128) (local $q1 v128) (local $q2 v128) (local $q3 v128)
    (local.set $lo (f32x4.splat (f32.const -7.90531110763549805)))
    (local.set $hi (f32x4.splat (f32.const 7.90531110763549805)))
    (local.set $small (f32x4.splat (f32.const 0.0004)))
    (local.set $p0 (f32x4.splat (f32.const -2.76076847742355e-16)))
    (local.set $p1 (f32x4.splat (f32.const 2.00018790482477e-13)))
    (local.set $p2 (f32x4.splat (f32.const -8.60467152213735e-11)))
    (local.set $p3 (f32x4.splat (f32.const 5.12229709037114e-08)))
    (local.set $p4 (f32x4.splat (f32.const 1.48572235717979e-05)))
    (local.set $p5 (f32x4.splat (f32.const 6.37261928875436e-04)))
    (local.set $p6 (f32x4.splat (f32.const 4.89352455891786e-03)))
    (local.set $q0 (f32x4.splat (f32.const 1.19825839466702e-06)))
    (local.set $q1 (f32x4.splat (f32.const 1.18534705686654e-04)))
    (local.set $q2 (f32x4.splat (f32.const 2.26843463243900e-03)))
    (local.set $q3 (f32x4.splat (f32.const 4.89352518554385e-03)))
    (local.set $xEnd (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $yEnd (i32.add (local.get $y) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $x) (local.get $xEnd)))
        (local.set $v (call $load (local.get $x) (local.get $xEnd)))
        (local.set $c (f32x4.pmax (local.get $lo) (f32x4.pmin (local.get $hi) (local.get $v))))
        (local.set $c2 (f32x4.mul (local.get $c) (local.get $c)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $c2) (local.get $p0)) (local.get $p1)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $c2) (local.get $p)) (local.get $p2)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $c2) (local.get $p)) (local.get $p3)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $c2) (local.get $p)) (local.get $p4)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $c2) (local.get $p)) (local.get $p5)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $c2) (local.get $p)) (local.get $p6)))
        (local.set $p (f32x4.mul (local.get $c) (local.get $p)))
        (local.set $q (f32x4.add (f32x4.mul (local.get $c2) (local.get $q0)) (local.get $q1)))
        (local.set $q (f32x4.add (f32x4.mul (local.get $c2) (local.get $q)) (local.get $q2)))
        (local.set $q (f32x4.add (f32x4.mul (local.get $c2) (local.get $q)) (local.get $q3)))
        (call $store (local.get $y)
          (v128.bitselect
            (local.get $v)
            (f32x4.div (local.get $p) (local.get $q))
            (v128.or
              (f32x4.lt (f32x4.abs (local.get $v)) (local.get $small))
              (f32x4.ne (local.get $v) (local.get $v))))
          (local.get $yEnd))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (br $step))))

  ;; exp: Cephes' expf. exp(x) = 2ⁿ·exp(r) with n = round(x·log₂e) and r = x − n·ln 2 (ln 2 in
  ;; two parts, so r is exact), exp(r) = 1 + r + r²·P(r), P of degree 5; 2ⁿ as two powers of
  ;; two, each a normal float, so a subnormal result is rounded once. Below ln 2⁻¹⁵⁰ it gives 0,
  ;; above ln FLT_MAX +∞, and NaN stays NaN.
  (func (export "exp") (param $x i32) (param $y i32) (param $n i32)
    (local $xEnd i32) (local $yEnd i32) (local $v v128) (local $c v128) (local $fx v128)
    (local $r v128) (local $e v128) (local $k v128) (local $h v128)
    (local $lo v128) (local $hi v128) (local $log2e v128) (local $half v128) (local $one v128)
    (local $ln2hi v128) (local $ln2lo v128) (local $bias v128) (local $inf v128)
    (local $p0 v128) (local $p1 v128) (local $p2 v128) (local $p3 v128) (local $p4 v128)
    (local $p5 v128)
    (local.set $lo (f32x4.splat (f32.const -103.972077083991796)))
    (local.set $hi (f32x4.splat (f32.const 88.7228391116729)))
    (local.set $log2e (f32x4.splat (f32.const 1.44269504088896341)))
    (local.set $half (f32x4.splat (f32.const 0.5)))
    (local.set $one (f32x4.splat (f32.const 1)))
    (local.set $ln2hi (f32x4.splat (f32.const 0.693359375)))
    (local.set $ln2lo (f32x4.splat (f32.const -2.12194440e-4)))
    (local.set $bias (i32x4.splat (i32.const 127)))
    (local.set $inf (f32x4.splat (f32.const inf)))
    (local.set $p0 (f32x4.splat (f32.const 1.9875691500e-4)))
    (local.set $p1 (f32x4.splat (f32.const 1.3981999507e-3)))
    (local.set $p2 (f32x4.splat (f32.const 8.3334519073e-3)))
    (local.set $p3 (f32x4.splat (f32.const 4.1665795894e-2)))
    (local.set $p4 (f32x4.splat (f32.const 1.6666665459e-1)))
    (local.set $p5 (f32x4.splat (f32.const 5.0000001201e-1)))
    (local.set $xEnd (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $yEnd (i32.add (local.get $y) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $x) (local.get $xEnd)))
        (local.set $v (call $load (local.get $x) (local.get $xEnd)))
        (local.set $c (f32x4.pmax (local.get $lo) (f32x4.pmin (local.get $hi) (local.get $v))))
        (local.set $fx (f32x4.floor
          (f32x4.add (f32x4.mul (local.get $c) (local.get $log2e)) (local.get $half))))
        (local.set $r (f32x4.sub (local.get $c) (f32x4.mul (local.get $fx) (local.get $ln2hi))))
        (local.set $r (f32x4.sub (local.get $r) (f32x4.mul (local.get $fx) (local.get $ln2lo))))
        (local.set $e (f32x4.add (f32x4.mul (local.get $r) (local.get $p0)) (local.get $p1)))
        (local.set $e (f32x4.add (f32x4.mul (local.get $r) (local.get $e)) (local.get $p2)))
        (local.set $e (f32x4.add (f32x4.mul (local.get $r) (local.get $e)) (local.get $p3)))
        (local.set $e (f32x4.add (f32x4.mul (local.get $r) (local.get $e)) (local.get $p4)))
        (local.set $e (f32x4.add (f32x4.mul (local.get $r) (local.get $e)) (local.get $p5)))
        (local.set $e (f32x4.add
          (f32x4.add (f32x4.mul (f32x4.mul (local.get $r) (local.get $r)) (local.get $e))
                     (local.get $r))
          (local.get $one)))
        ;; 2ⁿ = 2^h · 2^(n−h) with h = n >> 1: a float whose exponent field is m + 127 is 2^m
        (local.set $k (i32x4.trunc_sat_f32x4_s (local.get $fx)))
        (local.set $h (i32x4.shr_s (local.get $k) (i32.const 1)))
        (local.set $e (f32x4.mul (local.get $e)
          (i32x4.shl (i32x4.add (local.get $h) (local.get $bias)) (i32.const 23))))
        (local.set $e (f32x4.mul (local.get $e)
          (i32x4.shl (i32x4.add (i32x4.sub (local.get $k) (local.get $h)) (local.get $bias))
                     (i32.const 23))))
        (local.set $e (v128.andnot (local.get $e) (f32x4.lt (local.get $v) (local.get $lo))))
        (local.set $e (v128.bitselect (local.get $inf) (local.get $e)
          (f32x4.gt (local.get $v) (local.get $hi))))
        (call $store (local.get $y)
          (v128.bitselect (local.get $v) (local.get $e) (f32x4.ne (local.get $v) (local.get $v)))
          (local.get $yEnd))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (br $step))))

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

  ;; sum_rows: out[i] = Σⱼ x[i, j], in float32: sixteen running sums (four vectors) over
  ;; j = 0, 16, 32, …, then four over the next multiples of 4, then the rest one by one; the
  ;; vectors are added pairwise ((a + b) + (c + d)) and so are their lanes.
  (func (export "sum_rows") (param $x i32) (param $out i32) (param $rows i32) (param $cols i32)
    (local $a v128) (local $b v128) (local $c v128) (local $d v128)
    (local $end16 i32) (local $end4 i32) (local $end i32) (local $s f32)
    (block $rowsDone
      (loop $row
        (br_if $rowsDone (i32.eqz (local.get $rows)))
        (local.set $end16 (i32.add (local.get $x) (i32.shl (i32.and (local.get $cols) (i32.const -16)) (i32.const 2))))
        (local.set $end4 (i32.add (local.get $x) (i32.shl (i32.and (local.get $cols) (i32.const -4)) (i32.const 2))))
        (local.set $end (i32.add (local.get $x) (i32.shl (local.get $cols) (i32.const 2))))
        (local.set $a (v128.const i32x4 0 0 0 0))
        (local.set $b (v128.const i32x4 0 0 0 0))
        (local.set $c (v128.const i32x4 0 0 0 0))
        (local.set $d (v128.const i32x4 0 0 0 0))
        (block $done
          (loop $sixteen
            (br_if $done (i32.ge_u (local.get $x) (local.get $end16)))
            (local.set $a (f32x4.add (local.get $a) (v128.load offset=0 (local.get $x))))
            (local.set $b (f32x4.add (local.get $b) (v128.load offset=16 (local.get $x))))
            (local.set $c (f32x4.add (local.get $c) (v128.load offset=32 (local.get $x))))
            (local.set $d (f32x4.add (local.get $d) (v128.load offset=48 (local.get $x))))
            (local.set $x (i32.add (local.get $x) (i32.const 64)))
            (br $sixteen)))
        (block $done
          (loop $four
            (br_if $done (i32.ge_u (local.get $x) (local.get $end4)))
            (local.set $a (f32x4.add (local.get $a) (v128.load (local.get $x))))
            (local.set $x (i32.add (local.get $x) (i32.const 16)))
            (br $four)))
        (local.set $a (f32x4.add (f32x4.add (local.get $a) (local.get $b))
                                 (f32x4.add (local.get $c) (local.get $d))))
        (local.set $s (f32.add
          (f32.add (f32x4.extract_lane 0 (local.get $a)) (f32x4.extract_lane 1 (local.get $a)))
          (f32.add (f32x4.extract_lane 2 (local.get $a)) (f32x4.extract_lane 3 (local.get $a)))))
        (block $done
          (loop $one
            (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
            (local.set $s (f32.add (local.get $s) (f32.load (local.get $x))))
            (local.set $x (i32.add (local.get $x) (i32.const 4)))
            (br $one)))
        (f32.store (local.get $out) (local.get $s))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $row))))
)
