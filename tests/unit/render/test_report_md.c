/* The Markdown escaping rules of the report: user text must never open a heading, split a
 * table cell or swallow a backslash. */
#include "render/report_md.h"

#include "core/buf.h"

#include <criterion/criterion.h>
#include <string.h>

typedef void (*md_writer)(struct sink *, const char *);

static void check(md_writer w, const char *in, const char *want)
{
    struct buf b = BUF_INIT;
    struct sink s = sink_buf(&b);
    w(&s, in);
    cr_assert_str_eq(buf_str(&b), want, "input '%s'", in);
    buf_release(&b);
}

Test(md_inline, escapes_pipes_backslashes_and_a_leading_hash)
{
    check(md_inline, "a | b", "a \\| b");
    check(md_inline, "C:\\tmp", "C:\\\\tmp");
    check(md_inline, "# not a heading", "\\# not a heading");
    check(md_inline, "issue #12", "issue #12");
}

Test(md_inline, line_breaks_become_spaces)
{
    check(md_inline, "one\ntwo\r\nthree", "one two  three");
    check(md_inline, "", "");
}

Test(md_block, keeps_lines_and_markdown_but_not_headings)
{
    check(md_block, "- a *list*\n- [link](x)", "- a *list*\n- [link](x)\n");
    check(md_block, "text\n# heading\n   ## indented", "text\n\\# heading\n   \\## indented\n");
    check(md_block, "    # code block", "    # code block\n");
    check(md_block, "a | b \\ c", "a | b \\\\ c\n");
}
