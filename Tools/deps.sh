# Sourced by Tools/run.sh and Tools/test.sh: installs the system packages SecAggKit needs on
# Debian/Ubuntu when they are missing, and puts Swift on PATH if it lives in /opt/swift.
secagg_install_deps() {
    local missing=() pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        local sudo=""
        [ "$(id -u)" -ne 0 ] && sudo="sudo"
        echo "installing: ${missing[*]}"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
    fi
    if ! command -v swift >/dev/null 2>&1; then
        if [ -x /opt/swift/usr/bin/swift ]; then
            export PATH="/opt/swift/usr/bin:$PATH"
        else
            echo "Swift 6.1 or later is needed: install a toolchain from swift.org and put it on PATH" >&2
            return 1
        fi
    fi
}

# Libraries the package links (GMP, OpenSSL libcrypto, zlib, SQLite for GRDB's run history) and
# pkg-config to find them.
SECAGG_BUILD_DEPS=(libgmp-dev libssl-dev zlib1g-dev libsqlite3-dev pkg-config)
