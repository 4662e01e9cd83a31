/*
 * dhis2_keys.h - the names DHIS2's dataValueSets and IHE ADX give their
 * fields, elements and options: another system's words, spelt here once
 * (docs/exchange-standards.md gives the source of each).  dhis2.c reads
 * and writes them; the API (api_dhis2.c) and the OpenAPI description name
 * the query arguments by them.
 */
#ifndef GIAPRANH_DHIS2_KEYS_H
#define GIAPRANH_DHIS2_KEYS_H

/* a data value set (JSON) and each of its data values (§1.2) */
#define DK_DATA_SET        "dataSet"
#define DK_COMPLETE_DATE   "completeDate"
#define DK_PERIOD          "period"
#define DK_ORG_UNIT        "orgUnit"
#define DK_AOC             "attributeOptionCombo"
#define DK_DATA_VALUES     "dataValues"
#define DK_DATA_ELEMENT    "dataElement"
#define DK_COC             "categoryOptionCombo"
#define DK_VALUE           "value"
#define DK_STORED_BY       "storedBy"
#define DK_CREATED         "created"
#define DK_LAST_UPDATED    "lastUpdated"
#define DK_COMMENT         "comment"
#define DK_FOLLOWUP        "followup"
#define DK_DELETED         "deleted"
#define DK_DRY_RUN         "dryRun"
#define DK_STRATEGY        "strategy"

/* id schemes (§1.6): in the payload and as query arguments */
#define DK_ID_SCHEME       "idScheme"
#define DK_DE_ID_SCHEME    "dataElementIdScheme"
#define DK_OU_ID_SCHEME    "orgUnitIdScheme"
#define DK_DS_ID_SCHEME    "dataSetIdScheme"
#define DK_SCHEME_UID      "uid"
#define DK_SCHEME_CODE     "code"
#define DK_SCHEME_ID       "id"  /* the export's input schemes say "id" */

/* query arguments (§1.7, §1.8) */
#define DK_CHILDREN        "children"
#define DK_IMPORT_STRATEGY "importStrategy"
#define DK_FIRST_ROW_IS_HEADER "firstRowIsHeader"

/* import strategies (§1.8) */
#define DK_CREATE          "CREATE"
#define DK_UPDATE          "UPDATE"
#define DK_CREATE_AND_UPDATE "CREATE_AND_UPDATE"
#define DK_DELETE          "DELETE"

/* the import summary (§1.9): 2.37 and earlier, at the root */
#define DK_RESPONSE_TYPE   "responseType"
#define DK_IMPORT_SUMMARY  "ImportSummary"
#define DK_STATUS          "status"
#define DK_DESCRIPTION     "description"
#define DK_IMPORT_COUNT    "importCount"
#define DK_IMPORTED        "imported"
#define DK_UPDATED         "updated"
#define DK_IGNORED         "ignored"
#define DK_DELETED_COUNT   "deleted"
#define DK_CONFLICTS       "conflicts"
#define DK_OBJECT          "object"
#define DK_PROPERTY        "property"
#define DK_INDEXES         "indexes"
#define DK_REJECTED_INDEXES "rejectedIndexes"
#define DK_DATA_SET_COMPLETE "dataSetComplete"
#define DK_SUCCESS         "SUCCESS"
#define DK_WARNING         "WARNING"
#define DK_ERROR           "ERROR"

/* CSV: the writer's header, column by column (§1.4) */
#define DK_CSV_HEADER \
	"\"dataelement\",\"period\",\"orgunit\",\"categoryoptioncombo\"," \
	"\"attributeoptioncombo\",\"value\",\"storedby\",\"lastupdated\"," \
	"\"comment\",\"followup\",\"deleted\"\n"
#define DK_TRUE            "true"
#define DK_FALSE           "false"

/* ADX (§2.2) */
#define ADX_NAMESPACE      "urn:ihe:qrph:adx:2015"
#define ADX_ROOT           "adx"
#define ADX_GROUP          "group"
#define ADX_DATA_VALUE     "dataValue"
#define ADX_ANNOTATION     "annotation"
#define ADX_EXPORTED       "exported"
#define ADX_XMLNS          "xmlns"

/* media types (§1.1) */
#define DK_TYPE_JSON       "application/json"
#define DK_TYPE_CSV        "application/csv"
#define DK_TYPE_ADX        "application/adx+xml"

/* This system's own keys on a parsed value (dhis2.h), never exchanged:
 * the value's place in the input and what parsing found wrong with it. */
#define DK_X_INDEX         "_index"
#define DK_X_LINE          "_line"
#define DK_X_PROBLEM       "_problem"
#define DK_X_PROPERTY      "_property"

#endif
