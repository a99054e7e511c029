#!/bin/sh
# check-source.sh: mechanical rules of the code base (docs/architecture.md).
#   1. layers: a file in src/<layer>/ includes only "<allowed layer>/..." headers;
#   2. sqlite3.h only in src/store/;
#   3. banned calls: strcpy, strcat, sprintf, vsprintf, gets, atoi, atol, atof, strtok;
#      raw malloc/calloc/realloc outside core/xalloc.c; strtol/strtoll/strtod outside core/num.c.
# Prints one line per violation and "check-source: N passed, N failed" (one check per rule).
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root/src" || exit 2
passed=0
failed=0

allowed() {
    case $1 in
        core) echo "core" ;;
        model) echo "core model" ;;
        format) echo "core model format" ;;
        analytics) echo "core model analytics" ;;
        store) echo "core model store" ;;
        query) echo "core model store analytics query" ;;
        render) echo "core model render" ;;
        app) echo "core model format analytics store query render app" ;;
        web) echo "core model format render app web" ;;
        cli) echo "core model format render app web cli" ;;
        *) echo "" ;;
    esac
}

bad=0
for f in */*.c */*.h; do
    layer=${f%%/*}
    ok=$(allowed "$layer")
    for inc in $(sed -n 's/^#include "\([a-z_]*\)\/.*"/\1/p' "$f"); do
        case " $ok " in
            *" $inc "*) ;;
            *) echo "layers: $f includes $inc/ (a $layer file may include: $ok)"; bad=1 ;;
        esac
    done
done
if [ $bad -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi

bad=0
for f in $(grep -l '#include <sqlite3.h>' */*.c */*.h); do
    case $f in store/*) ;; *) echo "sqlite: $f includes sqlite3.h outside src/store"; bad=1 ;; esac
done
if [ $bad -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi

bad=0
hits=$(grep -nE '\b(strcpy|strcat|sprintf|vsprintf|gets|atoi|atol|atof|strtok)\(' */*.c */*.h |
       grep -vE '\b(snprintf|vsnprintf)\(' )
[ -n "$hits" ] && { echo "$hits" | sed 's/^/banned call: /'; bad=1; }
hits=$(grep -nE '(^|[^x_a-z])(malloc|calloc|realloc)\(' */*.c | grep -v '^core/xalloc.c:')
[ -n "$hits" ] && { echo "$hits" | sed 's/^/raw allocation: /'; bad=1; }
hits=$(grep -nE '\b(strtol|strtoll|strtoul|strtoull|strtod)\(' */*.c | grep -v '^core/num.c:')
[ -n "$hits" ] && { echo "$hits" | sed 's/^/raw number parsing: /'; bad=1; }
if [ $bad -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi

echo "check-source: $passed passed, $failed failed"
[ $failed -eq 0 ]
