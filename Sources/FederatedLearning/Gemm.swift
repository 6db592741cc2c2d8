// Single-precision matrix multiply for the training loops: a 4×8 register-blocked micro-kernel over SIMD8<Float>
// accumulators that reads both operands in place at any strides where it can (so Aᵀ costs nothing extra), and
// copies into zero-padded panels only what it cannot (edge blocks, B with non-contiguous columns); a last panel
// of ≤ 4 columns (the 10 outputs of a classifier = 8 + 2) goes through a 4×4 SIMD4 kernel. Single-threaded;
// the order of the floating-point operations depends only on the shapes, so results are reproducible bit for bit
// on one platform.
//
// Two interchangeable micro-kernels compute the same tile with the same floating-point operations in the same
// order (per output element: c ← c + a·b for p = 0, 1, …, k − 1, no fused multiply-add), so they agree bit for bit:
// the SIMD8 one for optimised builds, and a scalar one for debug (-Onone) builds, where SIMD types are not
// specialised and run ~25× slower than plain scalar code. `GemmTests` runs both and checks they agree exactly.

/// Rows of the micro-kernel's output tile.
let gemmMR = 4
/// Columns of the micro-kernel's output tile (one SIMD8).
let gemmNR = 8

/// A strided view of a read-only matrix: element (i, j) is `base[i·rowStride + j·columnStride]`.
struct MatrixView {
    let base: UnsafePointer<Float>
    let rowStride: Int
    let columnStride: Int

    /// A row-major matrix with `columns` columns.
    @inline(__always)
    static func rowMajor(_ base: UnsafePointer<Float>, columns: Int) -> MatrixView {
        MatrixView(base: base, rowStride: columns, columnStride: 1)
    }

    /// The transpose of a row-major matrix with `columns` columns.
    @inline(__always)
    static func transposed(_ base: UnsafePointer<Float>, columns: Int) -> MatrixView {
        MatrixView(base: base, rowStride: 1, columnStride: columns)
    }
}

/// Floats of packing space `gemm` needs for A (`m×k`: one block of rows) and B (`k×n`: every panel, for a B
/// whose columns are not contiguous).
func gemmPackSizes(m: Int, n: Int, k: Int) -> (a: Int, b: Int) {
    (gemmMR * k, ((n + gemmNR - 1) / gemmNR) * gemmNR * k)
}

/// Which micro-kernel ``gemm`` uses.
enum GemmKernel: Sendable, CaseIterable {
    /// 4×8 tile in four SIMD8<Float> accumulators, 4×4 in SIMD4 for a narrow last panel (optimised builds).
    case simd
    /// The same operations on scalars (debug builds).
    case scalar

    /// `.simd` in optimised builds, `.scalar` in debug builds.
    static var preferred: GemmKernel {
        #if DEBUG
            return .scalar
        #else
            return .simd
        #endif
    }
}

/// `C = alpha·A·B`, or `C += alpha·A·B` if `accumulate`, with A `m×k`, B `k×n` and C row-major `m×n` with
/// row stride `ldc`. `packA` and `packB` must hold at least ``gemmPackSizes(m:n:k:)`` floats.
///
/// Operands are read in place where the kernel can: A always (it loads 4 scalars per depth step at any strides),
/// B when its columns are contiguous. Only a last partial block of A rows, a last partial panel of B columns
/// (4 wide if ≤ 4 columns remain, else 8), and a B with non-contiguous columns (e.g. Wᵀ) are copied into
/// zero-padded panels first.
func gemm(
    m: Int, n: Int, k: Int, alpha: Float, a: MatrixView, b: MatrixView,
    c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool,
    packA: UnsafeMutablePointer<Float>, packB: UnsafeMutablePointer<Float>, kernel: GemmKernel = .preferred
) {
    guard m > 0, n > 0 else { return }
    guard k > 0 else {
        if !accumulate { for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) } }
        return
    }
    let fullPanels = n / gemmNR
    let remainder = n - fullPanels * gemmNR
    // A last partial panel of ≤ 4 columns runs through the 4×4 kernel (half the wasted lanes of a padded 4×8).
    let lastWidth = remainder == 0 ? 0 : (remainder <= 4 ? 4 : gemmNR)
    let bPanels = fullPanels + (remainder > 0 ? 1 : 0)
    let bInPlace = b.columnStride == 1
    if !bInPlace && fullPanels > 0 {
        pack(b, rows: fullPanels * gemmNR, depth: k, panelWidth: gemmNR, transposed: true, into: packB)
    }
    let lastPanel = packB + fullPanels * gemmNR * k
    if remainder > 0 {
        let j0 = fullPanels * gemmNR
        let view = MatrixView(base: b.base + j0 * b.columnStride, rowStride: b.rowStride, columnStride: b.columnStride)
        pack(view, rows: remainder, depth: k, panelWidth: lastWidth, transposed: true, into: lastPanel)
    }
    let fullBlocks = m / gemmMR
    let aBlocks = (m + gemmMR - 1) / gemmMR
    if fullBlocks < aBlocks {
        let i0 = fullBlocks * gemmMR
        let view = MatrixView(base: a.base + i0 * a.rowStride, rowStride: a.rowStride, columnStride: a.columnStride)
        pack(view, rows: m - i0, depth: k, panelWidth: gemmMR, transposed: false, into: packA)
    }
    withUnsafeTemporaryAllocation(of: Float.self, capacity: gemmMR * gemmNR) { tileBuffer in
        guard let tile = tileBuffer.baseAddress else { return }
        var jp = 0
        while jp < bPanels {
            let j0 = jp * gemmNR
            let width = Swift.min(gemmNR, n - j0)
            let bp: UnsafePointer<Float>
            let bDepth: Int
            let panelWidth: Int
            if jp == fullPanels {
                bp = UnsafePointer(lastPanel)
                bDepth = lastWidth
                panelWidth = lastWidth
            } else if bInPlace {
                bp = b.base + j0
                bDepth = b.rowStride
                panelWidth = gemmNR
            } else {
                bp = UnsafePointer(packB + jp * k * gemmNR)
                bDepth = gemmNR
                panelWidth = gemmNR
            }
            var ip = 0
            while ip < aBlocks {
                let i0 = ip * gemmMR
                let panel = ip < fullBlocks
                    ? APanel(base: a.base + i0 * a.rowStride, lane: a.rowStride, depth: a.columnStride)
                    : APanel(base: UnsafePointer(packA), lane: 1, depth: gemmMR)
                let out = Tile(
                    c: c + i0 * ldc + j0, ldc: ldc, rows: Swift.min(gemmMR, m - i0), columns: width, alpha: alpha,
                    accumulate: accumulate, scratch: tile)
                switch (kernel, panelWidth) {
                case (.simd, gemmNR): simdKernel4x8(k: k, a: panel, b: bp, bDepth: bDepth, out: out)
                case (.simd, _): simdKernel4x4(k: k, a: panel, b: bp, bDepth: bDepth, out: out)
                case (.scalar, _): scalarKernel(width: panelWidth, k: k, a: panel, b: bp, bDepth: bDepth, out: out)
                }
                ip += 1
            }
            jp += 1
        }
    }
}

/// Four rows of A: element (r, p) is `base[r·lane + p·depth]`.
struct APanel {
    let base: UnsafePointer<Float>
    let lane: Int
    let depth: Int
}

/// Where a 4×8 result goes: the top-left of its C block, how much of it is inside C, and how to combine.
struct Tile {
    let c: UnsafeMutablePointer<Float>
    let ldc: Int
    let rows: Int
    let columns: Int
    let alpha: Float
    let accumulate: Bool
    /// 32 floats of scratch for edge tiles and the scalar kernel.
    let scratch: UnsafeMutablePointer<Float>
}

/// Packs a matrix into micro-panels of `panelWidth` lines: panel `q`, depth `p`, lane `r` is at
/// `out[(q·depth + p)·panelWidth + r]`. For A (`transposed == false`) the lines are rows of the view and the
/// depth runs along its columns; for B (`transposed == true`) the lines are columns and the depth runs along
/// rows. Lanes past `rows` are zero.
@inline(__always)
private func pack(
    _ v: MatrixView, rows: Int, depth: Int, panelWidth: Int, transposed: Bool, into out: UnsafeMutablePointer<Float>
) {
    let lineStride = transposed ? v.columnStride : v.rowStride
    let depthStride = transposed ? v.rowStride : v.columnStride
    let panels = (rows + panelWidth - 1) / panelWidth
    var q = 0
    while q < panels {
        let first = q * panelWidth
        let lanes = Swift.min(panelWidth, rows - first)
        let dst = out + q * depth * panelWidth
        if lanes < panelWidth {
            dst.update(repeating: 0, count: depth * panelWidth)
        }
        if lineStride == 1 {
            // Lanes are contiguous in memory: copy `lanes` floats per depth step.
            var p = 0
            while p < depth {
                let src = v.base + first + p * depthStride
                let d = dst + p * panelWidth
                var r = 0
                while r < lanes {
                    d[r] = src[r]
                    r += 1
                }
                p += 1
            }
        } else {
            var r = 0
            while r < lanes {
                let src = v.base + (first + r) * lineStride
                var p = 0
                while p < depth {
                    dst[p * panelWidth + r] = src[p * depthStride]
                    p += 1
                }
                r += 1
            }
        }
        q += 1
    }
}

/// The 4×8 product of four A rows (depth `k`) and eight B columns (`b[p·bDepth + j]`), combined into C.
@inline(__always)
private func simdKernel4x8(k: Int, a: APanel, b: UnsafePointer<Float>, bDepth: Int, out: Tile) {
    var c0 = SIMD8<Float>()
    var c1 = SIMD8<Float>()
    var c2 = SIMD8<Float>()
    var c3 = SIMD8<Float>()
    let l1 = a.lane
    let l2 = 2 * a.lane
    let l3 = 3 * a.lane
    var pa = a.base
    var pb = b
    var p = 0
    while p < k {
        let bv = UnsafeRawPointer(pb).loadUnaligned(as: SIMD8<Float>.self)
        c0 += SIMD8(repeating: pa[0]) * bv
        c1 += SIMD8(repeating: pa[l1]) * bv
        c2 += SIMD8(repeating: pa[l2]) * bv
        c3 += SIMD8(repeating: pa[l3]) * bv
        pa += a.depth
        pb += bDepth
        p += 1
    }
    if out.rows == gemmMR && out.columns == gemmNR {
        storeRow(c0, out.c, out)
        storeRow(c1, out.c + out.ldc, out)
        storeRow(c2, out.c + 2 * out.ldc, out)
        storeRow(c3, out.c + 3 * out.ldc, out)
    } else {
        let raw = UnsafeMutableRawPointer(out.scratch)
        raw.storeBytes(of: c0, toByteOffset: 0, as: SIMD8<Float>.self)
        raw.storeBytes(of: c1, toByteOffset: 32, as: SIMD8<Float>.self)
        raw.storeBytes(of: c2, toByteOffset: 64, as: SIMD8<Float>.self)
        raw.storeBytes(of: c3, toByteOffset: 96, as: SIMD8<Float>.self)
        store(UnsafePointer(out.scratch), out)
    }
}

/// One full row of a tile: `dst = alpha·v` or `dst += alpha·v` (no multiply when alpha is 1, which is exact).
@inline(__always)
private func storeRow(_ v: SIMD8<Float>, _ dst: UnsafeMutablePointer<Float>, _ out: Tile) {
    let scaled = out.alpha == 1 ? v : v * out.alpha
    let raw = UnsafeMutableRawPointer(dst)
    if out.accumulate {
        raw.storeBytes(of: raw.loadUnaligned(as: SIMD8<Float>.self) + scaled, as: SIMD8<Float>.self)
    } else {
        raw.storeBytes(of: scaled, as: SIMD8<Float>.self)
    }
}

/// The 4×4 product of four A rows and four B columns (`b[p·bDepth + j]`, j < 4), for a last narrow panel.
@inline(__always)
private func simdKernel4x4(k: Int, a: APanel, b: UnsafePointer<Float>, bDepth: Int, out: Tile) {
    var c0 = SIMD4<Float>()
    var c1 = SIMD4<Float>()
    var c2 = SIMD4<Float>()
    var c3 = SIMD4<Float>()
    let l1 = a.lane
    let l2 = 2 * a.lane
    let l3 = 3 * a.lane
    var pa = a.base
    var pb = b
    var p = 0
    while p < k {
        let bv = UnsafeRawPointer(pb).loadUnaligned(as: SIMD4<Float>.self)
        c0 += SIMD4(repeating: pa[0]) * bv
        c1 += SIMD4(repeating: pa[l1]) * bv
        c2 += SIMD4(repeating: pa[l2]) * bv
        c3 += SIMD4(repeating: pa[l3]) * bv
        pa += a.depth
        pb += bDepth
        p += 1
    }
    let raw = UnsafeMutableRawPointer(out.scratch)
    raw.storeBytes(of: c0, toByteOffset: 0, as: SIMD4<Float>.self)
    raw.storeBytes(of: c1, toByteOffset: 32, as: SIMD4<Float>.self)
    raw.storeBytes(of: c2, toByteOffset: 64, as: SIMD4<Float>.self)
    raw.storeBytes(of: c3, toByteOffset: 96, as: SIMD4<Float>.self)
    store(UnsafePointer(out.scratch), out)
}

/// ``simdKernel4x8(k:a:b:bDepth:out:)`` (`width` 8) and ``simdKernel4x4(k:a:b:bDepth:out:)`` (`width` 4) on
/// scalars: the same products and sums in the same order.
@inline(__always)
private func scalarKernel(width: Int, k: Int, a: APanel, b: UnsafePointer<Float>, bDepth: Int, out: Tile) {
    let tile = out.scratch
    tile.update(repeating: 0, count: gemmMR * gemmNR)
    let l1 = a.lane
    let l2 = 2 * a.lane
    let l3 = 3 * a.lane
    var pa = a.base
    var pb = b
    var p = 0
    while p < k {
        let a0 = pa[0]
        let a1 = pa[l1]
        let a2 = pa[l2]
        let a3 = pa[l3]
        var j = 0
        while j < width {
            let bj = pb[j]
            tile[j] += a0 * bj
            tile[8 + j] += a1 * bj
            tile[16 + j] += a2 * bj
            tile[24 + j] += a3 * bj
            j += 1
        }
        pa += a.depth
        pb += bDepth
        p += 1
    }
    store(UnsafePointer(tile), out)
}

/// Writes (or adds) `alpha ·` the first `rows × columns` of the row-major 4×8 `tile` into C.
@inline(__always)
private func store(_ tile: UnsafePointer<Float>, _ out: Tile) {
    var r = 0
    while r < out.rows {
        let src = tile + r * gemmNR
        let dst = out.c + r * out.ldc
        var j = 0
        if out.accumulate {
            while j < out.columns {
                dst[j] += out.alpha == 1 ? src[j] : src[j] * out.alpha
                j += 1
            }
        } else {
            while j < out.columns {
                dst[j] = out.alpha == 1 ? src[j] : src[j] * out.alpha
                j += 1
            }
        }
        r += 1
    }
}
