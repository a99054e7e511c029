/* changepoints.c: reads a series file (format/series_reader.h) and runs the change point
 * detector (analytics/changepoint.h) with the default configuration of the chosen method. */
#include "app/changepoints.h"

#include "format/series_reader.h"

#include <string.h>

void changepoints_answer_release(struct changepoints_answer *a)
{
    cp_result_release(&a->result);
}

/* Resolves the format and method names of q. */
static int parse_request(const struct changepoints_request *q, enum series_format *ret_format,
                         enum cp_method *ret_method, struct err *e)
{
    *ret_format = series_format_guess(q->path);
    if (q->format && series_format_parse(q->format, ret_format) < 0)
        return err_set(e, ERR_INVALID, "unknown format '%.40s' (expected csv or tcpd)",
                       q->format);
    *ret_method = CP_BOCPD;
    if (q->method && cp_method_parse(q->method, ret_method) < 0)
        return err_set(e, ERR_INVALID, "unknown method '%.40s' (expected pelt or bocpd)",
                       q->method);
    return ERR_OK;
}

int app_changepoints(const struct changepoints_request *q, struct changepoints_answer *ret,
                     struct err *e)
{
    enum series_format format;
    enum cp_method method;
    int rc = parse_request(q, &format, &method, e);
    if (rc < 0)
        return rc;
    struct num_series s = {0};
    if ((rc = series_read_file(q->path, format, &s, e)) < 0)
        return rc;
    struct cp_params p;
    cp_params_default(&p, method);
    struct cp_result r;
    rc = cp_detect(s.values, s.n, s.dims, &p, &r, e);
    if (rc == ERR_OK) {
        *ret = (struct changepoints_answer){cp_method_name(method), cp_status_name(r.status),
                                            r.status == CP_STATUS_OK
                                                ? NULL : cp_status_reason(r.status),
                                            s.dims, s.missing, r};
    }
    num_series_release(&s);
    return rc;
}
