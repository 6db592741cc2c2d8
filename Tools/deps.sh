# Sourced by Tools/run.sh and Tools/test.sh: installs the system packages SecAggKit needs on
# Debian/Ubuntu when they are missing, and puts Swift on PATH if it lives in /opt/swift.

# apt-get installs those of the given Debian packages that are not installed yet.
secagg_apt_install() {
    local missing=() pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        local sudo=""
        [ "$(id -u)" -ne 0 ] && sudo="sudo"
        echo "installing: ${missing[*]}"
        $sudo apt-get update -qq &&
            DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
    fi
}

# The given packages, and Swift on PATH.
secagg_install_deps() {
    secagg_apt_install "$@" || return 1
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

# Headless Chromium for the dashboard's real-browser check (Tools/check_dashboard.py, run by the
# HarnessTests); optional: without `chromium` on PATH that test is skipped. Its fonts come with it
# (fontconfig depends on fonts-dejavu-core or another font). Returns non-zero when it cannot be installed,
# so a caller can go on without it:
#   secagg_install_chromium || echo "chromium unavailable: the dashboard browser check will be skipped"
secagg_install_chromium() {
    command -v chromium >/dev/null 2>&1 && return 0
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "chromium not installed and no apt-get here: install Chromium and put \`chromium\` on PATH" >&2
        return 1
    fi
    secagg_apt_install chromium && command -v chromium >/dev/null 2>&1
}
