/* report.h: gathering the postmortem report (hindsight report): the incident, its postmortem
 * sections, timeline, the last diagnosis, hypotheses, actions and their critical path, the
 * checklist, decisions and experiments, into one struct report (model/report.h) that
 * render/report_md.c turns into Markdown. Reads only. */
#ifndef APP_REPORT_H
#define APP_REPORT_H

#include "app/app.h"
#include "model/report.h"

/* Fills *ret (the caller's, released here on error) for the incident named key. */
int app_report_gather(struct app *a, const char *key, struct report *ret, struct err *e);
void report_release(struct report *r);

#endif
