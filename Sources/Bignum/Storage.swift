internal import CGMP

/// GMP's memory functions are replaced once, before the first allocation, by ones that wipe every
/// block they free or move (see `Sources/CGMP/shim.h`), so limbs of secrets never stay in freed memory.
private let wipingAllocatorInstalled: Bool = {
    cgmp_install_wiping_allocator()
    return true
}()

/// Owns one `mpz_t`: initialises it in `init`, clears (and, through the wiping allocator, zeroes) it in
/// `deinit`. The pointer is allocated once and never moves.

internal final class Storage: @unchecked Sendable {
    // @unchecked Sendable: a Storage is mutated only while it is uniquely referenced by one Bignum
    // (copy on write); once shared it is read-only, and concurrent GMP reads of one mpz_t are safe.
    let value: UnsafeMutablePointer<__mpz_struct>

    init() {
        _ = wipingAllocatorInstalled
        value = .allocate(capacity: 1)
        __gmpz_init(value)
    }

    init(copying other: Storage) {
        _ = wipingAllocatorInstalled
        value = .allocate(capacity: 1)
        __gmpz_init_set(value, other.value)
    }

    deinit {
        __gmpz_clear(value)
        value.deallocate()
    }
}
