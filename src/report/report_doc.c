/*
 * report_doc.c - the keys of the document model (report.h) that are also
 * field or entity names ("title", "kind", "number", ...), defined once.
 * The model is what /reports/build?format=json answers (docs/API.md), so
 * its keys are the outside world's words, not a record's fields: the
 * builder writes them and every renderer reads them through these names,
 * and tools/count-literals.py lists this file among its edges.
 */
#include "report/report.h"

const char DOC_ADDRESSEES[] = "addressees";
const char DOC_AT[] = "at";
const char DOC_HEADING[] = "heading";
const char DOC_KIND[] = "kind";
const char DOC_NAME[] = "name";
const char DOC_NOTE[] = "note";
const char DOC_NUMBER[] = "number";
const char DOC_PERIOD[] = "period";
const char DOC_RECIPIENTS[] = "recipients";
const char DOC_SCOPE[] = "scope";
const char DOC_SIGNER_AUTHORITY[] = "signer_authority";
const char DOC_SIGNER_NAME[] = "signer_name";
const char DOC_SIGNER_TITLE[] = "signer_title";
const char DOC_TEXT[] = "text";
const char DOC_TITLE[] = "title";
const char DOC_TYPE[] = "type";

const char DOC_BLOCK_HEADING[] = "heading";

const char DOC_COL_NUMBER[] = "number";
const char DOC_COL_TEXT[] = "text";
