#!/usr/bin/env bash
# Backs up one installation: the PostgreSQL database (pg_dump, custom format)
# and MEDIA_ROOT, which holds the archived reports. Both are needed: the
# database says which archived file belongs to which approved year and what
# its SHA-256 must be; the files are the reports the board approved.
#
#   DATABASE_URL=postgres://user@host:5432/name MEDIA_ROOT=/srv/huddinge/media \
#       ops/backup.sh [DESTINATION]          # DESTINATION defaults to ./backups
#
# Writes DESTINATION/<UTC timestamp>/ with database.dump, media.tar.gz,
# MANIFEST (what was backed up, from where, with which tools) and SHA256SUMS.
# The folder appears under its final name only when everything is written, so
# a half-finished backup is never mistaken for a whole one. Backups contain
# personal data: the folder is readable by its owner only.
set -euo pipefail

die() { echo "backup.sh: $*" >&2; exit 2; }

: "${DATABASE_URL:?backup.sh: set DATABASE_URL (postgres://user@host:port/name)}"
: "${MEDIA_ROOT:?backup.sh: set MEDIA_ROOT (the folder of archived reports)}"
case "$DATABASE_URL" in
    postgres://* | postgresql://*) ;;
    *) die "DATABASE_URL must name a PostgreSQL database (postgres://...)." ;;
esac
[ -d "$MEDIA_ROOT" ] || die "MEDIA_ROOT $MEDIA_ROOT is not a folder."

destination=${1:-backups}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
final="$destination/$stamp"
partial="$destination/.$stamp.partial"
[ -e "$final" ] && die "$final exists already."

umask 077
mkdir -p "$destination"
mkdir "$partial"
trap 'rm -rf "$partial"' EXIT

# The database first, the files second: an archived file is written when its
# approval commits and is never changed or deleted, so every archive row in
# the dump has its file in the tar taken after it.
pg_dump --format=custom --compress=6 --file="$partial/database.dump" --dbname="$DATABASE_URL"
tar -C "$MEDIA_ROOT" -czf "$partial/media.tar.gz" .

# The URL without its credentials, for the manifest.
source_db=$(printf '%s' "$DATABASE_URL" | sed -E 's#^([a-z]+://)[^@/]*@#\1#; s#\?.*$##')
query() { psql --dbname="$DATABASE_URL" -X -A -t -q -c "$1"; }
{
    echo "created_utc=$stamp"
    echo "database=$source_db"
    echo "server_version=$(query 'show server_version')"
    echo "pg_dump=$(pg_dump --version)"
    echo "tables=$(query "select count(*) from pg_tables where schemaname = 'public'")"
    echo "archived_reports=$(query 'select count(*) from followups_archivedreport' 2> /dev/null || echo unknown)"
    echo "media_root=$MEDIA_ROOT"
    echo "media_files=$(find "$MEDIA_ROOT" -type f | wc -l)"
    echo "media_bytes=$(du -sb "$MEDIA_ROOT" | cut -f1)"
    echo "host=$(hostname)"
} > "$partial/MANIFEST"
(cd "$partial" && sha256sum database.dump media.tar.gz MANIFEST > SHA256SUMS)

mv "$partial" "$final"
trap - EXIT
echo "$final"
