/* metric_reader.h: metric points from Prometheus JSON, long CSV or Grafana's wide CSV, one
 * point per call.
 *
 * A point is a series name, its labels, an instant and a finite value. Labels are given as
 * one canonical string "k1=v1,k2=v2": keys sorted bytewise, each key once, "" when there are
 * none. A label whose value is empty is absent. A key is non-empty and holds no space,
 * control character, '=', ',' or backslash; in a value, a ',' is written as \, and a
 * backslash as \\ so that the string splits unambiguously.
 *
 * MF_PROM: the JSON answer of Prometheus' query_range or query API:
 *     {"status":"success","data":{"resultType":"matrix","result":[
 *       {"metric":{"__name__":"http_errors","service":"payments"},
 *        "values":[[1772625600,"0.5"],[1772625660,"0.75"]]}]}}
 *   resultType "matrix" (a "values" array per series) or "vector" (one "value" pair per
 *   series). The name is the "__name__" label, or "value" when the series has none (as for
 *   rate(...) results); the other labels of "metric" are the labels. A time is a JSON number
 *   or string (format/timestamp.h), a value a string (or a JSON number) holding a finite
 *   decimal: "NaN", "+Inf" and "-Inf" are refused. A status other than "success" refuses the
 *   file with the error text it carries. The whole file is parsed at open (at most
 *   METRIC_JSON_MAX bytes; a regular file is checked with fstat before reading).
 *
 * MF_LONG_CSV: a header `timestamp,metric,value` followed by any label columns, in any order
 *   (the three names in any case; a label column's header is its key as written):
 *     timestamp,metric,value,service,region
 *     2026-03-04T12:00:00Z,http_errors,0.5,payments,eu
 *   An empty label cell means the label is absent; timestamp, metric and value are required.
 *
 * MF_WIDE_CSV: Grafana's "series joined by time" export:
 *     Time,http_errors{service="payments"},latency_p99
 *     2026-03-04 12:00:00,0.5,
 *   The first column (named "Time" or "timestamp", any case) is the time: RFC 3339, epoch
 *   seconds or milliseconds, or a date and time without offset ("2026-03-04 12:00:00"), read as
 *   UTC. Every other column is a series named by its header: `name{k="v",k2="v2"}` (quotes in
 *   values escaped as \", backslashes as \\, spaces after commas allowed) gives the name and
 *   labels; `{k="v"}` gives the name "value"; any other header, including one whose braces do
 *   not parse, is the name as a whole with no labels. A header whose braces parse but name a
 *   label twice or use a bad key is refused, and so are two columns naming the same series.
 *   An empty cell is no point.
 *
 * CSV files follow format/csv.h (BOM, CRLF, quoting, 1 MiB records, skipping bad rows). */
#ifndef FORMAT_METRIC_READER_H
#define FORMAT_METRIC_READER_H

#include "core/buf.h"
#include "core/common.h"
#include "core/err.h"
#include "format/csv.h"

#include <jansson.h>
#include <stdio.h>

#define METRIC_JSON_MAX ((size_t)512 << 20) /* 512 MiB */

enum metric_format { MF_PROM, MF_LONG_CSV, MF_WIDE_CSV };

/* One point. name and labels belong to the reader and stay valid until the next call to
 * metric_reader_next or metric_reader_release. value is finite; ts_ms is within
 * TIME_MIN_MS..TIME_MAX_MS. */
struct metric_point {
    const char *name;
    const char *labels;
    int64_t ts_ms;
    double value;
};

/* A label column of a long CSV. */
struct metric_label_column {
    char *key;
    size_t col;
};

/* A wide CSV column. */
struct metric_series {
    char *header; /* as written, for messages */
    char *name;
    char *labels; /* canonical */
};

/* Caller-allocated; all fields private. */
struct metric_reader {
    enum metric_format fmt;
    struct csv_reader csv;       /* CSV formats */
    size_t n_cols;               /* CSV formats: cells in the header */
    /* MF_PROM */
    json_t *root;                /* owned */
    json_t *result;              /* borrowed from root: data.result */
    bool vector;
    size_t series, point;        /* the next point: result[series], its values[point] */
    bool series_ready;           /* name and labels hold result[series]'s */
    struct buf name, labels;     /* current series (MF_PROM), current row's labels (long) */
    /* MF_LONG_CSV */
    size_t col_ts, col_metric, col_value;
    struct metric_label_column *label_cols; /* sorted by key */
    size_t n_labels;
    /* MF_WIDE_CSV */
    struct metric_series *cols;  /* cols[i] describes CSV column i + 1 */
    size_t n_series;
    char *time_header;           /* the first column's header, for messages */
    struct csv_row row;          /* the row being returned cell by cell */
    size_t next_col;             /* next CSV column of row to look at; 0: no row */
    int64_t row_ts;
};

/* Prepares r to read f in format fmt (f is borrowed: the caller closes it after
 * metric_reader_release). MF_PROM parses the whole file and checks its envelope (status,
 * resultType, result); the CSV formats read the header row. Returns ERR_OK, ERR_INVALID
 * (a malformed or too large file, a refused status, a bad header: the message says what;
 * e->line is the line for CSV and JSON syntax errors, else 0) or ERR_IO. On failure r holds
 * nothing and need not be released (releasing it is harmless). */
int metric_reader_open(struct metric_reader *r, FILE *f, enum metric_format fmt,
                       struct err *e);

/* Reads the next point: 1 with *ret filled, 0 when there are no more, ERR_INVALID for a bad
 * point, row or series, ERR_IO (CSV only; stop then). After ERR_INVALID the next call goes on
 * with the next point the file allows: in CSV, the next cell of a wide row, else the next row
 * (e->line is the row's first line; the message names the column: "column 'value': expected
 * a number, got 'abc'"); in JSON, the next point, or the next series when the series itself is
 * malformed (e->line is 0; the message names the place as a path,
 * "data.result[1].values[4]: ..."). */
int metric_reader_next(struct metric_reader *r, struct metric_point *ret, struct err *e);

/* The first line of the CSV row last read (0 for MF_PROM). */
unsigned metric_reader_line(const struct metric_reader *r);

/* Frees what the reader holds (not the file). */
void metric_reader_release(struct metric_reader *r);

#endif
