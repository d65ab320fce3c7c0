#!/usr/bin/env bash
# Bring up sensegrid's services on a Debian 12 machine without Docker, idempotently.
#
#   sudo bash deploy/services.sh
#
# (a) installs PostgreSQL 15 and Mosquitto from Debian packages when they are missing;
# (b) builds and installs the TimescaleDB extension (Apache-licensed part only) from Debian 13's
#     source package `timescaledb` against postgresql-server-dev-15 when it is not installed;
# (c) sets shared_preload_libraries = 'timescaledb' and (re)starts the cluster when needed;
# (d) starts Mosquitto with sensegrid's settings when nothing listens on the MQTT port;
# (e) extracts the Docker Compose v2 binary from Debian 13's `docker-compose` package into
#     ${SENSEGRID_TOOLS_DIR:-/var/lib/sensegrid/tools}/docker-compose (no Docker engine needed:
#     the tests and CI run `docker-compose config` on docker-compose.yml with it).
# When everything is already in place it only checks, prints what it found and takes seconds.
# The Debian 13 package lists live in a private apt state directory: the system's apt
# configuration is never touched.
#
# Environment: PG_VERSION (15), PG_CLUSTER (main), MQTT_PORT (1883),
# SENSEGRID_SKIP_TIMESCALEDB=1 to leave the extension out (plain PostgreSQL),
# SENSEGRID_SKIP_COMPOSE=1 to leave the compose binary out.
set -euo pipefail

PG_VERSION="${PG_VERSION:-15}"
PG_CLUSTER="${PG_CLUSTER:-main}"
MQTT_PORT="${MQTT_PORT:-1883}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATE_DIR="${SENSEGRID_APT_STATE:-/var/lib/sensegrid/apt}"
BUILD_DIR="${SENSEGRID_BUILD_DIR:-/var/lib/sensegrid/build}"
TOOLS_DIR="${SENSEGRID_TOOLS_DIR:-/var/lib/sensegrid/tools}"
PG_CONF_DIR="/etc/postgresql/${PG_VERSION}/${PG_CLUSTER}"
PG_CONFIG="/usr/lib/postgresql/${PG_VERSION}/bin/pg_config"

say() { printf '[services] %s\n' "$*"; }

if [ "$(id -u)" -ne 0 ]; then
  echo "deploy/services.sh must run as root (it installs packages and manages services)." >&2
  exit 1
fi

apt_updated=0
apt_install() {
  if [ "$apt_updated" -eq 0 ]; then
    say "apt-get update"
    apt-get update -qq
    apt_updated=1
  fi
  say "installing: $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

missing_packages() {
  local p out=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || out+=("$p")
  done
  echo "${out[@]:-}"
}

# Debian 13 (trixie) package lists in a private apt state directory: `apt-get "${APT_PRIVATE[@]}" …`
# fetches from trixie while the system's sources and lists stay as they are.
APT_PRIVATE=(
  -o "Dir::Etc::SourceList=$STATE_DIR/sources.list"
  -o "Dir::Etc::SourceParts=/dev/null"
  -o "Dir::State::Lists=$STATE_DIR/lists"
  -o "Dir::Cache=$STATE_DIR/cache"
  -o "Dir::State::Status=/var/lib/dpkg/status"
  -o "APT::Sandbox::User=root"
)
# The Debian archive this machine's apt already uses (its main suite, not security), so Debian 13
# comes from the same mirror and this script names none.
debian_mirror() {
  local uri
  uri=$(awk '/^URIs:/ {u = $2} /^Suites:/ && $0 !~ /security/ && u != "" {print u; exit}' \
    /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  [ -n "$uri" ] || uri=$(awk '$1 == "deb" && $0 !~ /security/ {
      for (i = 2; i <= NF; i++) if ($i ~ /^(https?|file|ftp):/) {print $i; exit}
    }' /etc/apt/sources.list 2>/dev/null || true)
  [ -n "$uri" ] || { echo "no Debian archive in this machine's apt sources to fetch Debian 13 from" >&2; exit 1; }
  printf '%s' "$uri"
}

private_apt_update() {
  local want mirror
  mirror=$(debian_mirror)
  want="deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror trixie main
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror trixie main"
  mkdir -p "$STATE_DIR/lists/partial" "$STATE_DIR/cache/archives/partial"
  [ -f "$STATE_DIR/sources.list" ] && [ "$(cat "$STATE_DIR/sources.list")" = "$want" ] \
    || printf '%s\n' "$want" >"$STATE_DIR/sources.list"
  say "apt-get update of the Debian 13 lists (private apt state in ${STATE_DIR})"
  apt-get "${APT_PRIVATE[@]}" update -qq
}

# ---- (a) PostgreSQL and Mosquitto ---------------------------------------------------------
need=$(missing_packages "postgresql-${PG_VERSION}" mosquitto mosquitto-clients)
if [ -n "$need" ]; then
  # shellcheck disable=SC2086
  apt_install $need
else
  say "PostgreSQL ${PG_VERSION} and Mosquitto packages: present"
fi

pg_running() { pg_lsclusters -h 2>/dev/null | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1==v && $2==c {print $4}' | grep -q online; }
pg_ctl_cluster() { pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$PG_CLUSTER" "$1"; }

if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -qx "${PG_VERSION} ${PG_CLUSTER}"; then
  say "creating cluster ${PG_VERSION}/${PG_CLUSTER}"
  pg_createcluster "$PG_VERSION" "$PG_CLUSTER" >/dev/null
fi

# ---- (b) TimescaleDB extension --------------------------------------------------------------
ext_dir="$("$PG_CONFIG" --sharedir 2>/dev/null || echo /usr/share/postgresql/${PG_VERSION})/extension"
timescaledb_installed() { ls "$ext_dir"/timescaledb.control >/dev/null 2>&1 && ls "$("$PG_CONFIG" --pkglibdir)"/timescaledb-*.so >/dev/null 2>&1; }

if [ "${SENSEGRID_SKIP_TIMESCALEDB:-0}" = "1" ]; then
  say "TimescaleDB: skipped (SENSEGRID_SKIP_TIMESCALEDB=1)"
elif timescaledb_installed; then
  say "TimescaleDB extension: installed ($(grep default_version "$ext_dir/timescaledb.control" | cut -d"'" -f2))"
else
  need=$(missing_packages "postgresql-server-dev-${PG_VERSION}" build-essential cmake dpkg-dev libssl-dev libkrb5-dev)
  # shellcheck disable=SC2086
  [ -z "$need" ] || apt_install $need
  say "fetching Debian 13 source package timescaledb"
  mkdir -p "$BUILD_DIR"
  private_apt_update
  src_dir="$BUILD_DIR/src"
  rm -rf "$src_dir"; mkdir -p "$src_dir"
  (cd "$src_dir" && apt-get "${APT_PRIVATE[@]}" source -qq timescaledb >/dev/null)
  tree=$(find "$src_dir" -mindepth 1 -maxdepth 1 -type d -name 'timescaledb-*' | head -n 1)
  [ -n "$tree" ] || { echo "could not unpack the timescaledb source package" >&2; exit 1; }
  say "building $(basename "$tree") against PostgreSQL ${PG_VERSION} (Apache-licensed part only)"
  (
    cd "$tree"
    cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DAPACHE_ONLY=ON -DREGRESS_CHECKS=OFF \
      -DTAP_CHECKS=OFF -DSEND_TELEMETRY_DEFAULT=OFF -DUSE_TELEMETRY=OFF -DWARNINGS_AS_ERRORS=OFF \
      -DLINTER=OFF -DPG_CONFIG="$PG_CONFIG" >"$BUILD_DIR/cmake.log" 2>&1 \
      || { tail -n 30 "$BUILD_DIR/cmake.log" >&2; exit 1; }
    cmake --build build -j "$(nproc)" >"$BUILD_DIR/build.log" 2>&1 \
      || { tail -n 30 "$BUILD_DIR/build.log" >&2; exit 1; }
    cmake --install build >"$BUILD_DIR/install.log" 2>&1 \
      || { tail -n 30 "$BUILD_DIR/install.log" >&2; exit 1; }
  )
  say "TimescaleDB extension: built and installed"
fi

# ---- (c) shared_preload_libraries and the cluster --------------------------------------------
restart=0
preload_conf="$PG_CONF_DIR/conf.d/50-sensegrid-timescaledb.conf"
if [ "${SENSEGRID_SKIP_TIMESCALEDB:-0}" != "1" ] && timescaledb_installed; then
  want="shared_preload_libraries = 'timescaledb'
timescaledb.telemetry_level = off"
  if [ ! -f "$preload_conf" ] || [ "$(cat "$preload_conf")" != "$want" ]; then
    mkdir -p "$PG_CONF_DIR/conf.d"
    printf '%s\n' "$want" >"$preload_conf"
    say "wrote $preload_conf"
    restart=1
  fi
fi
if pg_running; then
  if [ "$restart" -eq 1 ]; then
    say "restarting PostgreSQL ${PG_VERSION}/${PG_CLUSTER} to load timescaledb"
    pg_ctl_cluster restart
  else
    loaded=$(runuser -u postgres -- psql -Atqc "show shared_preload_libraries" 2>/dev/null || true)
    if [ -f "$preload_conf" ] && [[ "$loaded" != *timescaledb* ]]; then
      say "restarting PostgreSQL: timescaledb configured but not loaded"
      pg_ctl_cluster restart
    else
      say "PostgreSQL ${PG_VERSION}/${PG_CLUSTER}: running (preload: ${loaded:-none})"
    fi
  fi
else
  say "starting PostgreSQL ${PG_VERSION}/${PG_CLUSTER}"
  pg_ctl_cluster start
fi
for _ in $(seq 1 30); do
  runuser -u postgres -- psql -Atqc "select 1" >/dev/null 2>&1 && break
  sleep 1
done

# ---- (d) Mosquitto ---------------------------------------------------------------------------
mqtt_listening() { (exec 3<>"/dev/tcp/127.0.0.1/${MQTT_PORT}") 2>/dev/null; }
if mqtt_listening; then
  say "Mosquitto: listening on ${MQTT_PORT}"
else
  conf="$HERE/mosquitto/mosquitto-local.conf"
  mkdir -p /run/mosquitto /var/lib/mosquitto /var/log/mosquitto
  chown mosquitto: /run/mosquitto /var/lib/mosquitto /var/log/mosquitto 2>/dev/null || true
  say "starting Mosquitto with $conf"
  mosquitto -d -c "$conf"
  for _ in $(seq 1 20); do mqtt_listening && break; sleep 0.25; done
  mqtt_listening || { echo "Mosquitto did not start on port ${MQTT_PORT}" >&2; exit 1; }
fi

# ---- (e) Docker Compose v2 (for `docker-compose config` in the tests and CI) -------------------
compose_bin="$TOOLS_DIR/docker-compose"
if [ "${SENSEGRID_SKIP_COMPOSE:-0}" = "1" ]; then
  say "Docker Compose: skipped (SENSEGRID_SKIP_COMPOSE=1)"
elif [ -x "$compose_bin" ] && "$compose_bin" version >/dev/null 2>&1; then
  say "Docker Compose: $compose_bin ($("$compose_bin" version --short 2>/dev/null || echo present))"
else
  say "fetching Debian 13 package docker-compose (the Compose v2 binary; no engine is installed)"
  private_apt_update
  work="$TOOLS_DIR/.docker-compose.tmp"
  rm -rf "$work"; mkdir -p "$work"
  (cd "$work" && apt-get "${APT_PRIVATE[@]}" download -qq docker-compose >/dev/null) \
    || { echo "apt-get download docker-compose (Debian 13) failed; is the Debian archive of this machine's apt sources reachable?" >&2; exit 1; }
  dpkg-deb -x "$work"/docker-compose_*.deb "$work/root"
  plugin="$work/root/usr/libexec/docker/cli-plugins/docker-compose"
  [ -x "$plugin" ] || { echo "the docker-compose package has no $plugin any more" >&2; exit 1; }
  install -m 0755 "$plugin" "$compose_bin.new" && mv -f "$compose_bin.new" "$compose_bin"
  rm -rf "$work"
  say "Docker Compose: installed $compose_bin ($("$compose_bin" version --short))"
fi
say "done"
