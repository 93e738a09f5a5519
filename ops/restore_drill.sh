#!/usr/bin/env bash
# Restore drill: proves that a backup made by ops/backup.sh can be restored
# and that the restored copy holds the same data and intact archived reports.
#
#   ops/restore_drill.sh        # DRILL_PG_URL=postgres://postgres@127.0.0.1:5432 by default
#
# On the PostgreSQL server in DRILL_PG_URL (the user must be allowed to create
# databases) it builds a source installation in a database and a media folder
# of its own: migrate, load_demo, the demo 2021 follow-up submitted and
# approved through the services (a real archived PDF with its SHA-256). It
# backs that up with ops/backup.sh, restores it with ops/restore.sh into a
# new database and a new media folder, and then checks the copy:
#   - manage.py migrate --check: the restored schema is the code's;
#   - every table's row count and every sequence equal to the source's;
#   - manage.py verify_reports passes and has checked the archived report;
# and that the checks can fail: verify_reports must refuse a copy whose PDF
# was altered, and ops/restore.sh must refuse a backup whose dump was altered.
# The drill's databases and folders are removed at the end, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
project=$PWD
started=$(date +%s)

server=${DRILL_PG_URL:-postgres://postgres@127.0.0.1:5432}
server=${server%/}
source_db=huddinge_drill_source_$$
restored_db=huddinge_drill_restored_$$
work=$(mktemp -d -t huddinge-drill.XXXXXX)
log="$work/drill.log"
python="$project/.venv/bin/python"

admin_sql() { psql --dbname="$server/postgres" -X -q -v ON_ERROR_STOP=1 -c "$1"; }
cleanup() {
    status=$?
    admin_sql "DROP DATABASE IF EXISTS $source_db WITH (FORCE)" > /dev/null 2>&1 || true
    admin_sql "DROP DATABASE IF EXISTS $restored_db WITH (FORCE)" > /dev/null 2>&1 || true
    if [ "$status" -ne 0 ] && [ -f "$log" ]; then
        echo "--- last lines of the drill's log ---" >&2
        tail -n 30 "$log" >&2
    fi
    rm -rf "$work"
    [ "$status" -eq 0 ] || echo "RESTORE DRILL FAILED" >&2
}
trap cleanup EXIT

fail() { echo "restore drill: $*" >&2; exit 1; }
# Runs a command with its output in the log; a failure ends the drill.
step() {
    local label=$1
    shift
    echo "== $label" >> "$log"
    "$@" >> "$log" 2>&1 || fail "$label failed."
}

# Django commands against one installation (database + media folder).
manage() {
    local database=$1 media=$2
    shift 2
    DATABASE_URL="$server/$database" MEDIA_ROOT="$media" "$python" manage.py "$@"
}

# "table count" for every table in the public schema, then every sequence's
# last value: a restore that lost rows or reset a sequence differs here.
fingerprint() {
    local url="$server/$1" tables sql=""
    tables=$(psql --dbname="$url" -X -A -t -q \
        -c "select tablename from pg_tables where schemaname = 'public' order by 1")
    for table in $tables; do
        sql+="select 'rows $table', count(*) from public.\"$table\" union all "
    done
    sql+="select 'sequence ' || sequencename, coalesce(last_value, 0) from pg_sequences"
    sql+=" where schemaname = 'public' order by 1"
    psql --dbname="$url" -X -A -t -q -F ' ' -c "$sql"
}

[ -x "$python" ] || step "install the virtual environment" make --no-print-directory install
pg_isready -q -d "$server/postgres" || fail "no PostgreSQL server answers at $server."

# 1. The source installation.
admin_sql "CREATE DATABASE $source_db"
source_media="$work/source-media"
mkdir "$source_media"
step "migrate the source" manage "$source_db" "$source_media" migrate --verbosity 0
step "load the demo data" manage "$source_db" "$source_media" load_demo --password "drill-$$-$RANDOM"
DATABASE_URL="$server/$source_db" MEDIA_ROOT="$source_media" "$python" ops/drill_approve.py \
    > "$work/approved" 2>> "$log" || fail "approving the 2021 follow-up failed."
read -r archived_file archived_sha < "$work/approved"

# 2. Back up, 3. restore into a new database and a new media folder.
backup=$(DATABASE_URL="$server/$source_db" MEDIA_ROOT="$source_media" \
    ops/backup.sh "$work/backups" 2>> "$log") || fail "ops/backup.sh failed."
admin_sql "CREATE DATABASE $restored_db"
restored_media="$work/restored-media"
step "restore" ops/restore.sh "$backup" "$server/$restored_db" "$restored_media"

# 4. Check the copy.
step "migrate --check on the copy" manage "$restored_db" "$restored_media" migrate --check
fingerprint "$source_db" > "$work/source.counts"
fingerprint "$restored_db" > "$work/restored.counts"
diff -u "$work/source.counts" "$work/restored.counts" >> "$log" ||
    fail "row counts or sequences differ between source and restored copy."
manage "$restored_db" "$restored_media" verify_reports > "$work/verify.out" 2>> "$log" ||
    fail "verify_reports failed on the restored copy."
cat "$work/verify.out" >> "$log"
verified=$(grep -oE '[0-9]+' "$work/verify.out" | head -n 1)
[ "${verified:-0}" -ge 1 ] || fail "verify_reports checked no archived report."
restored_sha=$(sha256sum "$restored_media/$archived_file" | cut -d' ' -f1)
[ "$restored_sha" = "$archived_sha" ] || fail "the restored PDF's checksum differs."

# 5. The checks can fail: an altered PDF and an altered backup are refused.
tampered_media="$work/tampered-media"
cp -a "$restored_media" "$tampered_media"
printf 'X' | dd of="$tampered_media/$archived_file" bs=1 seek=1000 conv=notrunc status=none
if manage "$restored_db" "$tampered_media" verify_reports > "$work/tampered.out" 2>&1; then
    fail "verify_reports accepted an altered PDF."
fi
grep -q "$archived_file" "$work/tampered.out" || fail "verify_reports did not name the altered PDF."
tampered_backup="$work/tampered-backup"
cp -a "$backup" "$tampered_backup"
printf 'X' | dd of="$tampered_backup/database.dump" bs=1 seek=100 conv=notrunc status=none
if ops/restore.sh "$tampered_backup" "$server/$restored_db" "$work/unused-media" \
    > "$work/tampered-restore.out" 2>&1; then
    fail "ops/restore.sh accepted an altered backup."
fi
grep -q "fails its checksums" "$work/tampered-restore.out" ||
    fail "ops/restore.sh refused the altered backup for another reason."

count() { grep "^rows $1 " "$work/restored.counts" | cut -d' ' -f3; }
echo "Restore drill passed in $(($(date +%s) - started)) s."
echo "  backup:       $(basename "$backup") ($(du -sh "$backup" | cut -f1): database.dump, media.tar.gz, MANIFEST, SHA256SUMS)"
echo "  restored:     $(grep -c '^rows ' "$work/restored.counts") tables and" \
    "$(grep -c '^sequence ' "$work/restored.counts") sequences equal to the source" \
    "(follow-ups $(count followups_followup), activities $(count followups_activity)," \
    "archived reports $(count followups_archivedreport), users $(count auth_user)," \
    "audit events $(count audit_auditevent))"
echo "  verify:       $(cat "$work/verify.out")"
echo "  archived PDF: $archived_file sha256 ${archived_sha:0:16}… identical after restore"
echo "  must fail:    altered PDF refused by verify_reports; altered dump refused by restore.sh"
