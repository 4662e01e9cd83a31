/*
 * test_ingest.c - the extraction engine (ingest.c, ingest_lex.c,
 * ingest_rules.c) and the plain text of uploaded files (ingest_text.c).
 *
 * The sentences are written for these tests in the style of provincial
 * reports (not copied from the five source reports, which the evaluation
 * set tests/ingest/ covers): each case names a proposal that must (or must
 * not) come out and the values of up to three of its fields.  Adding a case
 * is one line.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include <cmocka.h>

#include "domain/records.h"
#include "ingest/ingest.h"
#include "schema/registry.h"
#include "store/store.h"
#include "testutil.h"
#include "gazetteer_fixture.h"

#define N_ELEM(a) (sizeof(a) / sizeof((a)[0]))

/* table rows leave unused wants and `absent` out */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

/* A field value as text: strings as they are, numbers with %g, null. */
static void
value_text(const json_t *v, char *buf, size_t len)
{
	if (v == NULL)
		snprintf(buf, len, "<absent>");
	else if (json_is_string(v))
		snprintf(buf, len, "%s", json_string_value(v));
	else if (json_is_number(v))
		snprintf(buf, len, "%g", json_number_value(v));
	else if (json_is_null(v))
		snprintf(buf, len, "null");
	else if (json_is_true(v))
		snprintf(buf, len, "true");
	else {
		char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		snprintf(buf, len, "%s", s ? s : "?");
		free(s);
	}
}

struct want {
	const char *field, *value;
};

struct extract_case {
	const char *text;
	const char *pub;          /* publication date or NULL              */
	const char *kind;
	struct want w[3];         /* w[0] picks the proposal; all must hold */
	bool absent;              /* no proposal of kind with w[0]          */
};

static const struct extract_case cases[] = {
	/* dates, resolved against the publication date */
	{ "Sáng ngày 12/3, tại xã Pha Long đã diễn ra hội nghị giao ban.", "2024-03-15",
	  "date", { { "start", "2024-03-12" }, { "granularity", "day" } } },
	{ "Chiều 28.12, Ban Chỉ đạo tổ chức họp.", "2024-01-05",
	  "date", { { "start", "2023-12-28" } } },
	{ "Đến hết tháng 6/2024, toàn huyện có 45 mô hình.", NULL,
	  "date", { { "start", "2024-06-01" }, { "end", "2024-06-30" }, { "granularity", "month" } } },
	{ "Kết quả thực hiện giai đoạn 2021 - 2025 được đánh giá cao.", NULL,
	  "date", { { "start", "2021-01-01" }, { "end", "2025-12-31" }, { "granularity", "period" } } },
	{ "Trong năm 2022, huyện đã tổ chức 12 cuộc tuần tra.", NULL,
	  "date", { { "start", "2022-01-01" }, { "end", "2022-12-31" }, { "granularity", "year" } } },
	{ "Từ năm 2020 đến nay, xã đã tiếp nhận 30 hộ.", "2023-05-01",
	  "date", { { "start", "2020-01-01" }, { "end", "2023-05-01" } } },
	{ "Hội nghị sơ kết 6 tháng đầu năm 2024 diễn ra tại huyện.", NULL,
	  "date", { { "start", "2024-01-01" }, { "end", "2024-06-30" } } },
	{ "Tỷ lệ hộ nghèo giảm còn 13/22 xã.", NULL,
	  "date", { { "text", "13/22" } }, true },
	/* legal references */
	{ "Thực hiện Quyết định số 1234/QĐ-UBND ngày 15/6/2022 của UBND tỉnh về việc "
	  "phân công giúp đỡ các xã biên giới, các sở đã vào cuộc.", NULL,
	  "legal_ref", { { "number", "1234/QĐ-UBND" }, { "date", "2022-06-15" },
	  { "issuer", "UBND tỉnh" } } },
	{ "Huyện triển khai Kết luận số 45 ngày 2/3/2020 của Ban Thường vụ Tỉnh ủy.", NULL,
	  "legal_ref", { { "number", "45" }, { "doc_kind", "Kết luận" },
	  { "issuer", "Ban Thường vụ Tỉnh ủy" } } },
	{ "Theo Nghị định 34/2014/NĐ-CP, người dân được hướng dẫn.", NULL,
	  "legal_ref", { { "number", "34/2014/NĐ-CP" }, { "doc_kind", "Nghị định" } } },
	{ "Thực hiện tốt các Nghị quyết, chỉ thị của Đảng.", NULL,
	  "legal_ref", { { "doc_kind", "Nghị quyết" } }, true },
	{ "Huyện xây dựng kế hoạch của UBND huyện về việc tổ chức tuần tra chung.", NULL,
	  "legal_ref", { { "doc_kind", "Kế hoạch" }, { "issuer", "UBND huyện" } } },
	/* figures */
	{ "Năm 2023, các đồn đã tổ chức 45 buổi tuyên truyền với trên 3.500 lượt người tham gia.",
	  NULL, "figure", { { "value", "3500" }, { "qualifier", "trên" },
	  { "proposed_as", "activity_quantity" } } },
	{ "Năm 2023, các đồn đã tổ chức 45 buổi tuyên truyền với trên 3.500 lượt người tham gia.",
	  NULL, "figure", { { "value", "45" }, { "unit", "buổi" } } },
	{ "Tỷ lệ che phủ rừng đạt 62,5%.", NULL,
	  "figure", { { "percent", "62.5" }, { "unit", "%" } } },
	{ "Đã ký kết được 12/15 cặp thôn, bản, đạt 80% kế hoạch.", NULL,
	  "figure", { { "value", "12" }, { "of", "15" }, { "percent", "80" } } },
	{ "Lực lượng chức năng phát hiện 2 vụ/5 đối tượng vận chuyển hàng lậu.", NULL,
	  "figure", { { "value", "5" }, { "unit", "đối tượng" } } },
	{ "Tổng kinh phí hỗ trợ là 1,5 tỷ đồng.", NULL,
	  "figure", { { "value", "1.5e+09" }, { "unit", "đồng" } } },
	{ "Phát quang 12,8 km đường tuần tra biên giới.", NULL,
	  "figure", { { "value", "12.8" }, { "unit", "km" } } },
	{ "Sau 1 năm thực hiện, quy chế đã đi vào nề nếp.", NULL,
	  "figure", { { "value", "1" } }, true },
	{ "Các nhóm đạt từ 100% trở lên được khen.", NULL,
	  "figure", { { "value", "100" } }, true },
	{ "Lúc 08:30, đoàn đến xã.", NULL, "figure", { { "value", "8" } }, true },
	/* people, titles, roles */
	{ "Đồng chí Trần Văn Nam, Phó Chủ tịch UBND huyện Mường Khương chủ trì hội nghị.", NULL,
	  "person", { { "name", "Trần Văn Nam" },
	  { "title", "Phó Chủ tịch UBND huyện Mường Khương" }, { "role", "chair" } } },
	{ "Giám đốc Sở Tư pháp Lê Thị Hoa phát biểu tại hội nghị.", NULL,
	  "person", { { "name", "Lê Thị Hoa" }, { "title", "Giám đốc Sở Tư pháp" },
	  { "role", "speaking" } } },
	{ "Dự hội nghị có đồng chí Phạm Quốc Hùng, Chỉ huy trưởng Bộ Chỉ huy Bộ đội Biên phòng tỉnh.",
	  NULL, "person", { { "name", "Phạm Quốc Hùng" }, { "role", "attending" } } },
	{ "Đồng chủ trì có đ/c Vàng A Súa - Bí thư Đảng ủy xã Bản Lầu.", NULL,
	  "person", { { "name", "Vàng A Súa" }, { "role", "co_chair" },
	  { "title", "Bí thư Đảng ủy xã Bản Lầu" } } },
	{ "Người dân thôn Na Lốc phấn khởi.", NULL,
	  "person", { { "name", "Na Lốc" } }, true },
	/* organisations and foreign units */
	{ "Đồn Biên phòng Pha Long phối hợp với Công an huyện tuần tra.", NULL,
	  "organisation", { { "text", "Đồn Biên phòng Pha Long" }, { "org_kind", "border_post" } } },
	{ "Hai bên hội đàm với chính quyền huyện Hà Khẩu, tỉnh Vân Nam (Trung Quốc).", NULL,
	  "foreign_unit", { { "text", "tỉnh Vân Nam" }, { "country", "CN" } } },
	{ "Hai bên hội đàm với chính quyền huyện Hà Khẩu, tỉnh Vân Nam (Trung Quốc).", NULL,
	  "foreign_unit", { { "text", "huyện Hà Khẩu" } } },
	/* commendations, recommendations, tasks */
	{ "Dịp này, UBND huyện đã tặng Giấy khen cho 5 tập thể và 10 cá nhân.", NULL,
	  "commendation", { { "form", "Giấy khen" }, { "collectives", "5" },
	  { "individuals", "10" } } },
	{ "Dịp này, UBND huyện đã tặng Giấy khen cho 5 tập thể và 10 cá nhân.", NULL,
	  "commendation", { { "issuer", "UBND huyện" } } },
	{ "UBND xã Bản Lầu kiến nghị UBND huyện hỗ trợ kinh phí sửa chữa đường tuần tra.", NULL,
	  "recommendation", { { "from", "UBND xã Bản Lầu" }, { "to", "UBND huyện" },
	  { "content", "hỗ trợ kinh phí sửa chữa đường tuần tra" } } },
	{ "Kết luận hội nghị, đồng chí Chủ tịch UBND huyện giao Phòng Tài chính - Kế hoạch "
	  "rà soát nguồn vốn, hoàn thành trước ngày 30/6/2024.", NULL,
	  "task", { { "assignee", "Phòng Tài chính - Kế hoạch" }, { "due", "2024-06-30" } } },
	{ "Đồng chí Bí thư Huyện ủy đề nghị các xã tiếp tục duy trì giao ban định kỳ; "
	  "tăng cường tuần tra song phương.", NULL,
	  "task", { { "content", "tăng cường tuần tra song phương" }, { "assignee", "các xã" } } },
	{ "Đại tá Hoàng Văn Thắng, Phó Chỉ huy trưởng Bộ Chỉ huy Bộ đội Biên phòng tỉnh đề nghị "
	  "UBND huyện quan tâm đầu tư đường tuần tra, phấn đấu hoàn thành trước tháng 12/2023.", NULL,
	  "task", { { "assignee", "UBND huyện" }, { "due", "2023-12-31" },
	  { "content", "quan tâm đầu tư đường tuần tra, phấn đấu hoàn thành trước tháng 12/2023" } } },
	{ "Thượng tá Nguyễn Đức Long, Chính trị viên Đồn Biên phòng cửa khẩu quốc tế Lào Cai "
	  "chỉ huy lực lượng phía Việt Nam.", NULL,
	  "person", { { "name", "Nguyễn Đức Long" },
	  { "title", "Thượng tá, Chính trị viên Đồn Biên phòng cửa khẩu quốc tế Lào Cai" } } },
	{ "Lực lượng chức năng thu giữ hơn 2,3 tấn hàng hóa.", NULL,
	  "figure", { { "value", "2.3" }, { "unit", "tấn" }, { "qualifier", "hơn" } } },
	/* events */
	{ "Ngày 14/8, UBND huyện tổ chức Hội nghị tổng kết công tác phối hợp.", "2022-08-20",
	  "event", { { "event_type", "review_conference" }, { "date", "2022-08-14" } } },
	{ "Sáng 3/4, Đồn Biên phòng Pha Long và Trạm Kiểm soát Biên phòng Na Pha tổ chức hội đàm.",
	  "2021-04-10", "event", { { "event_type", "bilateral_talks" }, { "date", "2021-04-03" } } },
	/* ---- phrasings beyond the five source reports ---- */
	/* decisions, plans, directives, laws */
	{ "Thực hiện Quyết định số 1234/QĐ-UBND ngày 12 tháng 5 năm 2022 của Chủ tịch UBND tỉnh, "
	  "các huyện đã rà soát.", NULL,
	  "legal_ref", { { "number", "1234/QĐ-UBND" }, { "date", "2022-05-12" },
	  { "issuer", "Chủ tịch UBND tỉnh" } } },
	{ "Thực hiện Chỉ thị số 01/CT-TTg của Thủ tướng Chính phủ về phát động phong trào toàn dân "
	  "tham gia bảo vệ chủ quyền lãnh thổ, an ninh biên giới quốc gia.", NULL,
	  "legal_ref", { { "number", "01/CT-TTg" }, { "doc_kind", "Chỉ thị" },
	  { "issuer", "Thủ tướng Chính phủ" } } },
	{ "Sáng 14/12, UBND huyện tổ chức hội nghị tổng kết Quy chế phối hợp số 02/QCPH-UBND "
	  "ngày 20/3/2018 về bảo đảm an ninh trật tự.", "2023-12-15",
	  "legal_ref", { { "number", "02/QCPH-UBND" }, { "doc_kind", "Quy chế" },
	  { "date", "2018-03-20" } } },
	{ "UBND huyện ban hành Kế hoạch liên tịch số 15/KHLT-CA-BĐBP ngày 3/2/2023 về tuần tra.", NULL,
	  "legal_ref", { { "number", "15/KHLT-CA-BĐBP" }, { "date", "2023-02-03" } } },
	{ "Các đồn tuyên truyền Luật Biên phòng Việt Nam năm 2020 cho nhân dân.", NULL,
	  "date", { { "start", "2020-01-01" }, { "granularity", "year" } } },
	/* the headline's unnumbered document is the numbered one of the body */
	{ "Tổng kết Quy chế phối hợp giữa hai huyện\nNgày 5/6, hai huyện tổng kết Quy chế phối hợp "
	  "số 02/QCPH-UBND ngày 20/3/2018.", "2023-06-10",
	  "legal_ref", { { "text", "Quy chế phối hợp giữa hai huyện" } }, true },
	/* a body inside a document's symbol is not an organisation */
	{ "Hai huyện thực hiện Quy chế phối hợp số 02/QCPH-UBND ngày 20/3/2018.", NULL,
	  "organisation", { { "text", "UBND" } }, true },
	/* figures */
	{ "Năm 2023, đơn vị huy động 1.250 lượt cán bộ, chiến sĩ tham gia tuần tra.", NULL,
	  "figure", { { "value", "1250" }, { "unit", "lượt cán bộ" } } },
	{ "Tổng kinh phí hỗ trợ trên 1,2 tỷ đồng.", NULL,
	  "figure", { { "value", "1.2e+09" }, { "qualifier", "trên" }, { "unit", "đồng" } } },
	{ "Tỷ lệ hộ nghèo khu vực biên giới còn 62,5 %.", NULL,
	  "figure", { { "percent", "62.5" } } },
	{ "Đã có 45/50 hộ ký cam kết không vi phạm quy chế biên giới.", NULL,
	  "figure", { { "value", "45" }, { "of", "50" }, { "unit", "hộ" } } },
	{ "Số vụ vi phạm giảm 2,3% so với cùng kỳ năm 2022.", NULL,
	  "figure", { { "percent", "2.3" }, { "unit", "%" } } },
	/* dates */
	{ "Trong quý III/2023, các đồn tổ chức 20 đợt tuần tra.", NULL,
	  "date", { { "start", "2023-07-01" }, { "end", "2023-09-30" } } },
	{ "Kết quả 6 tháng đầu năm 2024 cho thấy tình hình ổn định.", NULL,
	  "date", { { "start", "2024-01-01" }, { "end", "2024-06-30" } } },
	{ "Từ ngày 01/01/2023 đến ngày 30/6/2023, lực lượng chức năng bắt giữ 12 vụ.", NULL,
	  "date", { { "start", "2023-01-01" }, { "end", "2023-06-30" }, { "granularity", "range" } } },
	{ "Từ ngày 01/01/2023 đến ngày 30/6/2023, lực lượng chức năng bắt giữ 12 vụ.", NULL,
	  "date", { { "start", "2023-06-30" } }, true },
	{ "Từ ngày 18 đến 20/3, hai đồn tổ chức tuần tra song phương.", "2025-03-21",
	  "event", { { "event_type", "patrol" }, { "date", "2025-03-18" } } },
	{ "Từ ngày 18 đến 20/3, hai đồn tổ chức tuần tra song phương.", "2025-03-21",
	  "figure", { { "value", "20" } }, true },
	{ "Từ đầu năm 2025 đến nay, đơn vị tổ chức 3 đợt tuần tra.", "2025-03-21",
	  "date", { { "start", "2025-01-01" }, { "end", "2025-03-21" } } },
	{ "Từ năm 2022 đến hết năm 2023, huyện hỗ trợ 40 hộ.", NULL,
	  "date", { { "start", "2022-01-01" }, { "end", "2023-12-31" } } },
	{ "Tháng 10/2022, hai bên ký kết biên bản ghi nhớ.", NULL,
	  "date", { { "start", "2022-10-01" }, { "end", "2022-10-31" }, { "granularity", "month" } } },
	/* meetings */
	{ "Ngày 8/11, tại Cửa khẩu Quốc tế Lao Bảo, hai bên tổ chức hội đàm.", "2023-11-20",
	  "event", { { "event_type", "bilateral_talks" }, { "date", "2023-11-08" } } },
	{ "Sáng 2/10, Đồn Biên phòng Thanh Thủy tổ chức giao ban định kỳ quý III.", "2023-10-05",
	  "event", { { "event_type", "briefing" }, { "date", "2023-10-02" } } },
	{ "Chiều 25/4, hai huyện ký kết biên bản ghi nhớ về hợp tác phòng, chống tội phạm.",
	  "2024-05-01", "event", { { "event_type", "signing" }, { "date", "2024-04-25" } } },
	/* Lao and Cambodian counterparts */
	{ "Đoàn làm việc với chính quyền tỉnh Hủa Phăn (Lào) về quản lý biên giới.", NULL,
	  "foreign_unit", { { "text", "tỉnh Hủa Phăn" }, { "country", "LA" } } },
	{ "Đồn Biên phòng giao lưu với huyện Xiềng Khọ, tỉnh Hủa Phăn, nước CHDCND Lào.", NULL,
	  "foreign_unit", { { "text", "huyện Xiềng Khọ" }, { "country", "LA" } } },
	{ "Hai bên hội đàm với đoàn đại biểu tỉnh Ratanakiri, Vương quốc Campuchia.", NULL,
	  "foreign_unit", { { "text", "tỉnh Ratanakiri" }, { "country", "KH" } } },
	/* border posts, gates and markers */
	{ "Đồn Biên phòng Cửa khẩu Quốc tế Lao Bảo phối hợp tuần tra khu vực cột mốc 245.", NULL,
	  "organisation", { { "text", "Đồn Biên phòng Cửa khẩu Quốc tế Lao Bảo" },
	  { "org_kind", "border_post" } } },
	{ "Đồn Biên phòng Cửa khẩu Quốc tế Lao Bảo phối hợp tuần tra khu vực cột mốc 245.", NULL,
	  "figure", { { "value", "245" } }, true },
	/* departments named with commas and dashes */
	{ "Giao Sở Văn hóa, Thể thao và Du lịch chủ trì tổ chức giao lưu văn hóa.", NULL,
	  "organisation", { { "text", "Sở Văn hóa, Thể thao và Du lịch" }, { "org_kind", "department" } } },
	{ "Giao Sở Văn hóa, Thể thao và Du lịch chủ trì tổ chức giao lưu văn hóa.", NULL,
	  "task", { { "assignee", "Sở Văn hóa, Thể thao và Du lịch" },
	  { "content", "chủ trì tổ chức giao lưu văn hóa" } } },
	{ "Sở Lao động - Thương binh và Xã hội phối hợp với Sở Nông nghiệp và Phát triển nông thôn "
	  "hỗ trợ các xã biên giới.", NULL,
	  "organisation", { { "text", "Sở Nông nghiệp và Phát triển nông thôn" } } },
	{ "Sở Lao động - Thương binh và Xã hội phối hợp với Sở Nông nghiệp và Phát triển nông thôn "
	  "hỗ trợ các xã biên giới.", NULL,
	  "organisation", { { "text", "Sở Lao động - Thương binh và Xã hội" } } },
	/* the party asked ends before its verb */
	{ "Đồng chí Chủ tịch UBND huyện giao Công an huyện chủ trì, phối hợp với Đồn Biên phòng "
	  "tăng cường tuần tra, hoàn thành trước ngày 31/3/2024.", "2023-12-15",
	  "task", { { "assignee", "Công an huyện" }, { "due", "2024-03-31" } } },
	{ "Hội nghị đề nghị UBND tỉnh quan tâm đầu tư tuyến đường liên xã.", NULL,
	  "recommendation", { { "to", "UBND tỉnh" }, { "content", "quan tâm đầu tư tuyến đường liên xã" } } },
	/* clauses joined by "và" are two statements */
	{ "Đồng chí Bí thư Huyện ủy yêu cầu các xã rà soát hộ nghèo khu vực biên giới và "
	  "tăng cường tuyên truyền pháp luật cho nhân dân.", NULL,
	  "task", { { "content", "tăng cường tuyên truyền pháp luật cho nhân dân" },
	  { "assignee", "các xã" } } },
	/* ranks before a name stay in the title, also in lists */
	{ "Dự hội nghị có Đại tá Hoàng Văn Thắng, Phó Chỉ huy trưởng Bộ Chỉ huy Bộ đội Biên phòng tỉnh.",
	  NULL, "person", { { "name", "Hoàng Văn Thắng" },
	  { "title", "Đại tá, Phó Chỉ huy trưởng Bộ Chỉ huy Bộ đội Biên phòng tỉnh" },
	  { "role", "attending" } } },
	{ "Tham dự có các đồng chí: Thượng tá Lê Văn Hải, Đồn trưởng Đồn Biên phòng Lao Bảo; "
	  "Trung tá Vi Văn Nam, Chính trị viên Đồn Biên phòng Thanh Thủy.", NULL,
	  "person", { { "name", "Vi Văn Nam" },
	  { "title", "Trung tá, Chính trị viên Đồn Biên phòng Thanh Thủy" }, { "role", "attending" } } },
	{ "Tham dự có các đồng chí: Thượng tá Lê Văn Hải, Đồn trưởng Đồn Biên phòng Lao Bảo; "
	  "Trung tá Vi Văn Nam, Chính trị viên Đồn Biên phòng Thanh Thủy.", NULL,
	  "person", { { "name", "Lê Văn Hải" },
	  { "title", "Thượng tá, Đồn trưởng Đồn Biên phòng Lao Bảo" } } },
	{ "Đại úy Nguyễn Văn Toàn, cán bộ Đồn Biên phòng Pha Long báo cáo kết quả.", NULL,
	  "person", { { "name", "Nguyễn Văn Toàn" }, { "role", "speaking" } } },
	/* numbered items under a heading of tasks: the party opening each
	 * is the assignee */
	{ "III. NHIỆM VỤ THỜI GIAN TỚI\n1. Phòng Tư pháp huyện chủ trì, phối hợp với các xã "
	  "tuyên truyền pháp luật, hoàn thành trước ngày 30/9/2024.\n2. Công an huyện phối hợp với "
	  "các đồn biên phòng tăng cường tuần tra.", NULL,
	  "task", { { "assignee", "Công an huyện" },
	  { "content", "phối hợp với các đồn biên phòng tăng cường tuần tra" } } },
	{ "III. NHIỆM VỤ THỜI GIAN TỚI\n1. Phòng Tư pháp huyện chủ trì, phối hợp với các xã "
	  "tuyên truyền pháp luật, hoàn thành trước ngày 30/9/2024.\n2. Công an huyện phối hợp với "
	  "các đồn biên phòng tăng cường tuần tra.", NULL,
	  "task", { { "assignee", "Phòng Tư pháp huyện" }, { "due", "2024-09-30" } } },
	/* laws, treaties and agreements named without a number */
	{ "Các đồn tuyên truyền Luật Biên phòng Việt Nam năm 2020 cho nhân dân.", NULL,
	  "legal_ref", { { "doc_kind", "Luật" }, { "number", "null" } } },
	{ "Hai bên thực hiện nghiêm Hiệp định về Quy chế quản lý biên giới và cửa khẩu biên giới "
	  "trên đất liền.", NULL,
	  "legal_ref", { { "doc_kind", "Quy chế" } }, true },
	{ "Hai bên thực hiện nghiêm Hiệp định về Quy chế quản lý biên giới và cửa khẩu biên giới "
	  "trên đất liền.", NULL,
	  "legal_ref", { { "doc_kind", "Hiệp định" } } },
	{ "Hai huyện sơ kết Thỏa thuận kết nghĩa ký ngày 14/3/2019.", NULL,
	  "legal_ref", { { "doc_kind", "Thỏa thuận" }, { "date", "2019-03-14" } } },
	/* foreign names after ông/bà or a rank, with their title */
	{ "Đoàn huyện Chantrea do ông Sok Sambath, Phó Huyện trưởng huyện Chantrea làm trưởng đoàn.",
	  NULL, "person", { { "name", "Sok Sambath" }, { "role", "chair" } } },
	{ "Ông Nguyễn Thanh Phong, Chủ tịch UBND phường chủ trì hội nghị.", NULL,
	  "person", { { "name", "Nguyễn Thanh Phong" } } },
	/* two commendations in one sentence */
	{ "Dịp này, UBND huyện tặng Giấy khen cho 7 tập thể, 11 cá nhân; chính quyền huyện Sê Pôn "
	  "trao Giấy khen cho 4 tập thể, 6 cá nhân.", NULL,
	  "commendation", { { "collectives", "4" }, { "individuals", "6" } } },
	/* a collective is not one body; a named body before it is */
	{ "Dự hội nghị có đại diện Công an hai huyện và lãnh đạo các xã.", NULL,
	  "organisation", { { "text", "Công an" } }, true },
	{ "Dự hội nghị có đại diện Đồn Biên phòng Pù Nhi, Công an hai huyện.", NULL,
	  "organisation", { { "text", "Đồn Biên phòng Pù Nhi" } } },

	/* ---- issue 15: the language and the domain, beyond the sources ---- */
	/* spans of days written with a dash, a pair of anniversaries */
	{ "Từ ngày 4 - 7/11, đoàn công tác thăm tỉnh bạn.", "2022-11-20",
	  "date", { { "start", "2022-11-04" }, { "end", "2022-11-07" }, { "granularity", "range" } } },
	{ "Từ ngày 14-16/5/2021, hai đồn tổ chức tuần tra song phương.", NULL,
	  "date", { { "start", "2021-05-14" }, { "end", "2021-05-16" } } },
	{ "Sau 3 ngày (12 - 14/10) kiểm tra thực địa, hai bên thống nhất kết quả.", "2023-10-20",
	  "date", { { "start", "2023-10-12" }, { "end", "2023-10-14" } } },
	{ "Sau 3 ngày (12 - 14/10) kiểm tra thực địa, hai bên thống nhất kết quả.", "2023-10-20",
	  "figure", { { "value", "14" } }, true },
	{ "Kỷ niệm 65 năm Ngày truyền thống (19/5/1959-19/5/2024) của đơn vị.", NULL,
	  "date", { { "start", "1959-05-19" }, { "end", "2024-05-19" }, { "granularity", "range" } } },
	{ "Ngày 2-9- 2015, tại xã Nậm Pồ đã diễn ra lễ khánh thành nhà văn hóa.", NULL,
	  "date", { { "start", "2015-09-02" } } },
	{ "Hội nghị do Ban Thường vụ tổ chức sáng nay 14/3 tại hội trường.", "2024-03-14",
	  "date", { { "start", "2024-03-14" } } },
	{ "Hai bên ký biên bản vào cuối tháng 5/2023.", NULL,
	  "date", { { "start", "2023-05-01" }, { "granularity", "partial" }, { "qualifier", "cuối" } } },
	{ "Trong quý II/2024, các đồn tổ chức 15 đợt tuần tra.", NULL,
	  "date", { { "start", "2024-04-01" }, { "granularity", "quarter" } } },
	/* events: the news tag, a weekday stamp, a recalled ceremony, a
	 * reporting date, undated ones said at the event, "Cùng ngày" */
	{ "(BBP) - Chiều 9/12, Đồn Biên phòng Pa Thơm tổ chức giao ban với chính quyền bản Kết Ngà.",
	  "2022-12-10", "event", { { "event_type", "briefing" }, { "date", "2022-12-09" } } },
	{ "Thứ Hai, ngày 4 tháng 3 năm 2024\nHội đàm về công tác biên giới\nSáng 1/3, hai bên tổ chức hội đàm.",
	  "2024-03-02", "event", { { "date", "2024-03-01" } } },
	{ "Thứ Hai, ngày 4 tháng 3 năm 2024\nHội đàm về công tác biên giới\nSáng 1/3, hai bên tổ chức hội đàm.",
	  "2024-03-02", "event", { { "date", "2024-03-04" } }, true },
	{ "Ngày 10/3/2009, hai xã đã tổ chức lễ kết nghĩa đầu tiên.", "2024-05-02",
	  "event", { { "event_type", "signing" } }, true },
	{ "Ngày 5/7, lễ kết nghĩa giữa hai bản được tổ chức tại nhà văn hóa.", "2021-07-06",
	  "event", { { "event_type", "signing" }, { "date", "2021-07-05" } } },
	{ "Ngày 20/8, Hội Nông dân tỉnh cho biết, đoàn công tác đã sang thăm và làm việc với tỉnh bạn. "
	  "Chuyến thăm diễn ra từ ngày 12 - 15/8.", "2021-08-20",
	  "event", { { "event_type", "working_session" }, { "date", "2021-08-12" } } },
	{ "Trao tặng máy bơm nước tại lễ kết nghĩa hai bản biên giới\nBà con rất phấn khởi.", "2023-06-01",
	  "event", { { "event_type", "signing" }, { "date", "null" } } },
	{ "Năm 2023, lực lượng chức năng tổ chức 86 đợt tuần tra biên giới.", "2023-12-30",
	  "event", { { "event_type", "patrol" } }, true },
	/* places: type words as written, spelling variants, chains across the
	 * border, names without a type word where the grammar says so */
	{ "Đồn Biên phòng phối hợp tuần tra trên địa bàn Quân khu 2.", "2023-05-01",
	  "unit", { { "text", "bàn Quân" } }, true },
	{ "Hai huyện tăng cường hợp tác với nước bạn Lào.", "2023-05-01",
	  "unit", { { "text", "bạn Lào" } }, true },
	{ "Hai bên kết nghĩa giữa bản Pa Lông, xã Tà Cạ với bản Xốp Pe (cụm Na Hia, "
	  "huyện Xam Tải, tỉnh Hủa Phăn, Lào).", "2023-05-01",
	  "foreign_unit", { { "text", "bản Xốp Pe" }, { "country", "LA" }, { "level", "village" } } },
	{ "Hai bên kết nghĩa giữa bản Pa Lông, xã Tà Cạ với bản Xốp Pe (cụm Na Hia, "
	  "huyện Xam Tải, tỉnh Hủa Phăn, Lào).", "2023-05-01",
	  "foreign_unit", { { "text", "cụm Na Hia" }, { "level", "village_cluster" } } },
	{ "Kết nghĩa giữa thôn Lũng Pù với thôn Nà Tẩu (thị trấn Bình Mãng, TP Đông Hưng, "
	  "tỉnh Quảng Tây, Trung Quốc).", "2023-05-01",
	  "foreign_unit", { { "text", "TP Đông Hưng" }, { "country", "CN" } } },
	{ "Kết nghĩa giữa thôn Lũng Pù với thôn Nà Tẩu (thị trấn Bình Mãng, TP Đông Hưng, "
	  "tỉnh Quảng Tây, Trung Quốc).", "2023-05-01",
	  "unit", { { "text", "TP Đông Hưng" } }, true },
	{ "Đoàn làm việc với chính quyền châu Văn Sơn và phum Sre Thom.", "2023-05-01",
	  "foreign_unit", { { "text", "châu Văn Sơn" }, { "level", "prefecture" } } },
	{ "Hai đồn tuần tra khu vực giáp tỉnh Sê-Kông (Lào).", "2023-05-01",
	  "foreign_unit", { { "text", "tỉnh Sê-Kông" }, { "country", "LA" } } },
	/* bodies: one proposal however written, abbreviations defined in
	 * brackets, the smallest unit of a chain in full, foreign bodies */
	{ "Ủy ban Mặt trận Tổ quốc (MTTQ) Việt Nam tỉnh Kon Tum ký kết chương trình phối hợp.",
	  "2023-05-01", "organisation", { { "text",
	  "Ủy ban Mặt trận Tổ quốc (MTTQ) Việt Nam tỉnh Kon Tum" }, { "org_kind", "front" } } },
	{ "Đoàn công tác của Bộ Tư lệnh Quân khu 2 làm việc với Văn phòng UBND tỉnh.", "2023-05-01",
	  "organisation", { { "text", "Bộ Tư lệnh Quân khu 2" }, { "org_kind", "military" } } },
	{ "Đoàn công tác của Bộ Tư lệnh Quân khu 2 làm việc với Văn phòng UBND tỉnh.", "2023-05-01",
	  "organisation", { { "text", "Văn phòng UBND tỉnh" } } },
	{ "Đại diện Bộ Ngoại giao và Ty Công an tỉnh Champasak dự hội nghị.", NULL,
	  "organisation", { { "text", "Bộ Ngoại giao" } } },
	{ "Đại diện Bộ Ngoại giao và Ty Công an tỉnh Champasak dự hội nghị.", NULL,
	  "organisation", { { "text", "Ty Công an tỉnh Champasak" } } },
	{ "Hai bên trao đổi về tình đoàn kết hữu nghị. Tình đoàn kết ngày càng bền chặt.", NULL,
	  "organisation", { { "text", "Tình đoàn" } }, true },
	{ "Lực lượng gồm Trung đội 1, Đại đội bảo vệ biên giới số 5, tỉnh Svay Rieng phối hợp.",
	  "2023-05-01", "organisation", { { "text",
	  "Trung đội 1, Đại đội bảo vệ biên giới số 5, tỉnh Svay Rieng" } } },
	{ "Đoàn làm việc với chính quyền huyện Mường Mày (Lào) về quản lý biên giới.", "2023-05-01",
	  "organisation", { { "text", "chính quyền huyện Mường Mày" }, { "org_kind", "people_committee" } } },
	/* documents named by their parties or as made, treaties signed later
	 * in the sentence */
	{ "Hai bên sơ kết chương trình phối hợp giữa Hội Cựu chiến binh tỉnh với Bộ Chỉ huy "
	  "BĐBP tỉnh.", NULL, "legal_ref", { { "doc_kind", "Chương trình" }, { "number", "null" } } },
	{ "Hai xã thống nhất ban hành quy chế kết nghĩa với 9 nội dung cụ thể.", NULL,
	  "legal_ref", { { "doc_kind", "Quy chế" } } },
	{ "Đơn vị đẩy mạnh giao lưu, ký kết quy chế phối hợp, trao đổi thông tin.", NULL,
	  "legal_ref", { { "doc_kind", "Quy chế" } }, true },
	{ "Hai bên thực hiện Hiệp định về quy chế quản lý biên giới trên đất liền giữa Chính phủ "
	  "hai nước ký ngày 8/11/2009.", NULL,
	  "legal_ref", { { "doc_kind", "Hiệp định" }, { "date", "2009-11-08" } } },
	{ "Hai đoàn đánh giá việc thực hiện Thông cáo chung và các thỏa thuận đã ký.", NULL,
	  "legal_ref", { { "doc_kind", "Thông cáo chung" } } },
	{ "Đơn vị sẽ hoàn thành việc sơ kết Chỉ thị trước ngày 30/11/2024.", NULL,
	  "legal_ref", { { "doc_kind", "Chỉ thị" } }, true },
	/* figures: linked counts, classifiers, two-syllable nouns, currencies */
	{ "Đã thành lập 36 tổ/214 tàu/610 thành viên tổ tàu thuyền an toàn.", NULL,
	  "figure", { { "value", "610" }, { "unit", "thành viên" }, { "group", "g1" } } },
	{ "Các đồn tổ chức 420 lượt tổ/1.310 lượt cán bộ tuần tra.", NULL,
	  "figure", { { "value", "1310" }, { "unit", "lượt cán bộ" } } },
	{ "Đã thành lập 12 tổ/ 96 thành viên tự quản đường biên.", NULL,
	  "figure", { { "value", "96" } } },
	{ "Phát hành 2.000 cuốn lịch và 2.000 cuốn sổ tay pháp luật.", NULL,
	  "figure", { { "unit", "cuốn sổ" }, { "value", "2000" } } },
	{ "Hai bên trao trả 31 công dân qua cửa khẩu.", NULL,
	  "figure", { { "value", "31" }, { "unit", "công dân" } } },
	{ "Kim ngạch thương mại đạt trên 120 triệu USD.", NULL,
	  "figure", { { "value", "1.2e+08" }, { "unit", "USD" } } },
	{ "Năm 2021, toàn tỉnh hỗ trợ 42 hộ nghèo.", NULL,
	  "figure", { { "value", "42" }, { "period", "p1" } } },
	/* people: highland, Lao and Khmer names, party labels, titles joined
	 * by commas before the name, a commune's name with a rank */
	{ "Dự có đồng chí A Pưng, Bí thư Huyện ủy Đăk Glei.", NULL,
	  "person", { { "name", "A Pưng" }, { "title", "Bí thư Huyện ủy Đăk Glei" } } },
	{ "Tiếp đoàn có ông Bun-thăn Xay-nha-vông, Phó Tỉnh trưởng tỉnh Hủa Phăn.", NULL,
	  "person", { { "name", "Bun-thăn Xay-nha-vông" }, { "title", "Phó Tỉnh trưởng tỉnh Hủa Phăn" } } },
	{ "Dự hội nghị có đồng chí Lê Văn Hai TUV – Giám đốc Sở Nội vụ.", NULL,
	  "person", { { "name", "Lê Văn Hai" }, { "title", "TUV – Giám đốc Sở Nội vụ" } } },
	{ "Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh Trần Văn Sơn phát biểu chỉ đạo hội nghị.", NULL,
	  "person", { { "name", "Trần Văn Sơn" }, { "title", "Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh" },
	  { "role", "directing" } } },
	{ "Đại tá Nguyễn Văn Linh, Chỉ huy trưởng Bộ Chỉ huy Bộ đội Biên phòng tỉnh dự hội nghị.", NULL,
	  "person", { { "name", "Nguyễn Văn Linh" }, { "rank", "Đại tá" } } },
	{ "Phía Việt Nam do ông Lò Văn Hải, Phó Chủ tịch UBND huyện làm trưởng đoàn; phía Lào do "
	  "ông Khăm Sỉ Vông Phết, Phó Chủ tịch huyện làm trưởng đoàn.", "2023-05-01",
	  "person", { { "name", "Lò Văn Hải" } } },
	/* commendations without counts, named recipients */
	{ "Dịp này, Bộ Tư lệnh BĐBP tặng Bằng khen cho các tập thể có thành tích xuất sắc.", NULL,
	  "commendation", { { "form", "Bằng khen" }, { "issuer", "Bộ Tư lệnh BĐBP" } } },
	{ "Chính phủ Lào trao Huân chương Lao động cho Thượng tá Nguyễn Văn Bình, Đồn trưởng Đồn "
	  "Biên phòng Nậm Cắn và Thiếu tá Lê Văn Hòa, Chính trị viên Đồn Biên phòng Nậm Cắn.", NULL,
	  "commendation", { { "form", "Huân chương" }, { "individuals", "2" } } },
	{ "Hội nghị đề nghị tặng Bằng khen cho các tập thể có thành tích.", NULL,
	  "commendation", { { "form", "Bằng khen" } }, true },
	/* statements: what both sides agree, plans, what an agreement provides,
	 * a request to those above, a part with its own party */
	{ "Hai bên thống nhất tăng cường trao đổi thông tin, phối hợp tuần tra song phương.", NULL,
	  "task", { { "assignee", "Hai bên" }, { "assigner", "null" } } },
	{ "Thời gian tới, huyện sẽ nhân rộng mô hình kết nghĩa ra các xã biên giới.", NULL,
	  "task", { { "content", "nhân rộng mô hình kết nghĩa ra các xã biên giới" } } },
	{ "Theo nội dung ký kết, hai bản sẽ phối hợp giữ gìn an ninh trật tự; không để người dân "
	  "vượt biên trái phép.", NULL,
	  "task", { { "content", "không để người dân vượt biên trái phép" } } },
	{ "Đơn vị đã kiểm tra thực địa, báo cáo UBND tỉnh xem xét hỗ trợ kinh phí sửa chữa.", NULL,
	  "recommendation", { { "to", "UBND tỉnh" }, { "content", "xem xét hỗ trợ kinh phí sửa chữa" } } },
	{ "Đồng chí Chủ tịch đề nghị các xã tăng cường tuyên truyền; Công an huyện chủ trì, phối "
	  "hợp với Đồn Biên phòng kiểm tra các khu vực trọng điểm.", NULL,
	  "task", { { "assignee", "Công an huyện" } } },
	{ "Bộ Ngoại giao và Sở Ngoại vụ phối hợp chặt chẽ.", NULL,
	  "task", { { "assignee", "Ngoại" } }, true },
	{ "Hai bên hội đàm và ký kết chương trình phối hợp giai đoạn 2023 - 2028.", NULL,
	  "legal_ref", { { "doc_kind", "Chương trình" }, { "number", "null" } } },
	{ "Hai tỉnh thực hiện Biên bản ghi nhớ ký ngày 12/4/2022 về hợp tác biên giới.", NULL,
	  "legal_ref", { { "doc_kind", "Biên bản ghi nhớ" }, { "date", "2022-04-12" } } },
	{ "Ngày 3/5, tại thành phố Điện Biên Phủ, hai đoàn tổ chức hội đàm.", "2023-05-10",
	  "event", { { "place_text", "thành phố Điện Biên Phủ" } } },
	{ "Trong các ngày 8, 9/12, hai đồn tuần tra song phương.", "2022-12-20",
	  "date", { { "start", "2022-12-08" }, { "end", "2022-12-09" } } },
	{ "Trong 2 ngày 8 và 9/12, đoàn làm việc tại huyện.", "2022-12-20",
	  "date", { { "start", "2022-12-08" }, { "end", "2022-12-09" } } },
	{ "Chiều nay (16/12), đoàn đến thăm đồn.", "2022-12-16",
	  "date", { { "start", "2022-12-16" } } },
	{ "Chiều nay (16/12), đoàn đến thăm đồn.", "2022-12-16",
	  "figure", { { "value", "16" } }, true },
	{ "Đoàn thăm tỉnh bạn (từ 5 đến 7/10).", "2022-12-16",
	  "date", { { "start", "2022-10-05" }, { "end", "2022-10-07" } } },
	{ "Tỉnh đã vận động hỗ trợ tỉnh bạn 4 công trình dân sinh.", NULL,
	  "figure", { { "value", "4" }, { "unit", "công trình" } } },
	{ "Ông Vương Đông, Phó Châu trưởng châu Văn Sơn đề xuất hai bên tăng cường trao đổi thông "
	  "tin.", NULL, "task", { { "assignee", "hai bên" },
	  { "content", "tăng cường trao đổi thông tin" } } },
};

/* The proposal of kind whose field w.field has w.value, or NULL. */
static json_t *
find_prop(json_t *set, const char *kind, const struct want *w)
{
	json_t *props = json_object_get(set, "proposals"), *p;
	size_t i;
	char buf[4096];

	json_array_foreach(props, i, p) {
		if (strcmp(json_string_value(json_object_get(p, "kind")), kind) != 0)
			continue;
		value_text(json_object_get(p, w->field), buf, sizeof buf);
		if (strcmp(buf, w->value) == 0)
			return p;
	}
	return NULL;
}

/* Checks one case; prints what is wrong and returns false, so that one
 * run lists every failing case. */
static bool
run_case(struct store *st, const struct extract_case *c, size_t n)
{
	struct ingest_options opt = { "case.txt", c->pub, "2026-01-01",
		st != NULL ? units_gaz : NULL };
	struct err e = { 0 };
	json_t *set = NULL, *p;
	char buf[4096];

	if (ingest_extract(st, c->text, strlen(c->text), &opt, &set, &e) != 0) {
		print_error("case %zu: %s\n", n, e.msg);
		return false;
	}
	p = find_prop(set, c->kind, &c->w[0]);
	if (c->absent) {
		if (p != NULL) {
			char *s = json_dumps(p, JSON_COMPACT);
			print_error("case %zu (%s): unexpected %s %s\n", n, c->text, c->kind, s);
			free(s);
			json_decref(set);
			return false;
		}
		json_decref(set);
		return true;
	}
	if (p == NULL) {
		char *s = json_dumps(set, JSON_INDENT(1));
		print_error("case %zu (%s): no %s with %s = %s in\n%s\n", n, c->text, c->kind,
		    c->w[0].field, c->w[0].value, s);
		free(s);
		json_decref(set);
		return false;
	}
	for (size_t k = 1; k < 3 && c->w[k].field != NULL; k++) {
		value_text(json_object_get(p, c->w[k].field), buf, sizeof buf);
		if (strcmp(buf, c->w[k].value) != 0) {
			print_error("case %zu (%s): %s.%s = %s, want %s\n", n, c->text, c->kind,
			    c->w[k].field, buf, c->w[k].value);
			json_decref(set);
			return false;
		}
	}
	/* every proposal has the common keys; a span holds its quote */
	{
		json_t *props = json_object_get(set, "proposals"), *q;
		size_t i;
		json_array_foreach(props, i, q) {
			json_t *span = json_object_get(q, "span");
			size_t b = (size_t)json_integer_value(json_array_get(span, 0));
			size_t en = (size_t)json_integer_value(json_array_get(span, 1));
			const char *quote = json_string_value(json_object_get(q, "quote"));
			double conf = json_real_value(json_object_get(q, "confidence"));
			assert_non_null(json_object_get(q, "id"));
			assert_non_null(quote);
			assert_true(b < en && en <= strlen(c->text));
			assert_int_equal(strlen(quote), en - b);
			assert_true(conf > 0 && conf <= 1);
		}
	}
	json_decref(set);
	return true;
}

/* Without a database: everything but matching and unit codes. */
static void
test_extract_table(void **state)
{
	size_t bad = 0;

	(void)state;
	for (size_t i = 0; i < N_ELEM(cases); i++)
		bad += !run_case(NULL, &cases[i], i);
	assert_int_equal(bad, 0);
}

/* With the units: the same cases hold, and places resolve by vintage. */
static void
test_extract_table_units(void **state)
{
	size_t bad = 0;

	for (size_t i = 0; i < N_ELEM(cases); i++)
		bad += !run_case(*state, &cases[i], i);
	assert_int_equal(bad, 0);
}

static const struct extract_case unit_cases[] = {
	/* a pre-2025 district and its province, successors through the lineage */
	{ "Hội nghị giữa huyện Mường Khương, tỉnh Lào Cai và huyện Xín Mần.", "2023-05-01",
	  "unit", { { "text", "huyện Mường Khương" }, { "code", "083" }, { "vintage", "2024" } } },
	{ "Hội nghị giữa huyện Mường Khương, tỉnh Lào Cai và huyện Xín Mần.", "2023-05-01",
	  "unit", { { "text", "tỉnh Lào Cai" }, { "code", "10" }, { "level", "province" } } },
	{ "Hội nghị giữa huyện Mường Khương, tỉnh Lào Cai và huyện Xín Mần.", "2023-05-01",
	  "unit", { { "text", "huyện Xín Mần" }, { "code", "033" } } },
	/* a list after a type word */
	{ "Ba huyện Bắc Hà, Mường Khương và Si Ma Cai đã ký quy chế.", "2023-05-01",
	  "unit", { { "text", "Si Ma Cai" }, { "code", "084" } } },
	/* a commune with its district in brackets; a commune in 2025 */
	{ "Đồn Biên phòng phối hợp với xã Bản Máy (Hoàng Su Phì) tuần tra.", "2020-01-01",
	  "unit", { { "text", "xã Bản Máy" }, { "code", "01024" }, { "vintage", "2024" } } },
	{ "Ngày 5/9, UBND xã Si Ma Cai tổ chức giao ban.", "2025-09-10",
	  "unit", { { "text", "xã Si Ma Cai" }, { "vintage", "2025" }, { "level", "commune" } } },
	/* the unit inside a body name */
	{ "Đoàn công tác của Tỉnh ủy Cao Bằng làm việc tại huyện.", "2023-05-01",
	  "unit", { { "text", "Cao Bằng" }, { "code", "04" } } },
	/* a place name that is not a person */
	{ "Đồng chí Nguyễn Văn Bình làm việc tại huyện Hoàng Su Phì.", "2023-05-01",
	  "person", { { "name", "Hoàng Su Phì" } }, true },
	/* issue 15: spelling variants, names without their type word */
	{ "Đoàn công tác làm việc tại huyện Đakrông, tỉnh Quảng Trị.", "2023-05-01",
	  "unit", { { "code", "467" }, { "variant_of", "Huyện Đa Krông" } } },
	{ "Đồn Biên phòng Cầu Treo (Hương Sơn) tuần tra đường biên.", "2023-05-01",
	  "unit", { { "text", "Hương Sơn" }, { "code", "439" } } },
	{ "Đồn Biên phòng Cầu Treo (Hương Sơn) tuần tra đường biên.", "2023-05-01",
	  "unit", { { "text", "Cầu Treo" } }, true },
	{ "Hội nghị diễn ra tại Lạng Sơn với sự tham dự của hai đoàn.", "2023-05-01",
	  "unit", { { "text", "Lạng Sơn" }, { "code", "20" }, { "level", "province" } } },
	{ "Bộ Chỉ huy BĐBP Hà Tĩnh tổ chức tuần tra.", "2023-05-01",
	  "unit", { { "text", "Hà Tĩnh" }, { "code", "42" } } },
	{ "Mường Tè là huyện biên giới của tỉnh.", "2023-05-01",
	  "unit", { { "text", "Mường Tè" }, { "code", "107" } } },
	{ "Đoàn tỉnh Điện Biên (Việt Nam) và đoàn tỉnh Phông Sa Lỳ (Lào) hội đàm.", "2023-05-01",
	  "unit", { { "text", "tỉnh Điện Biên" }, { "code", "11" } } },
	{ "Đoàn tỉnh Điện Biên (Việt Nam) và đoàn tỉnh Phông Sa Lỳ (Lào) hội đàm.", "2023-05-01",
	  "foreign_unit", { { "text", "tỉnh Phông Sa Lỳ" }, { "country", "LA" } } },
	/* a person named like a commune ("Xã Nguyễn Văn Linh") with a rank */
	{ "Đại tá Nguyễn Văn Linh, Chỉ huy trưởng Bộ Chỉ huy Bộ đội Biên phòng tỉnh dự hội nghị.",
	  "2023-05-01", "person", { { "name", "Nguyễn Văn Linh" } } },
};

static void
test_extract_units(void **state)
{
	size_t bad = 0;

	for (size_t i = 0; i < N_ELEM(unit_cases); i++)
		bad += !run_case(*state, &unit_cases[i], i);
	assert_int_equal(bad, 0);
}

/* How many proposals of kind have field = value (value NULL: any). */
static size_t
count_props(json_t *set, const char *kind, const char *field, const char *value)
{
	json_t *props = json_object_get(set, "proposals"), *p;
	size_t i, n = 0;
	char buf[4096];

	json_array_foreach(props, i, p) {
		if (strcmp(json_string_value(json_object_get(p, "kind")), kind) != 0)
			continue;
		if (field != NULL) {
			value_text(json_object_get(p, field), buf, sizeof buf);
			if (strcmp(buf, value) != 0)
				continue;
		}
		n++;
	}
	return n;
}

/* One fact, one proposal, however often and however it is written. */
static const struct {
	const char *text, *kind, *field, *value;
	size_t n;
} once_cases[] = {
	{ "Hội Cựu chiến binh huyện tổ chức hội nghị. Hội cựu chiến binh huyện báo cáo kết quả.",
	  "organisation", NULL, NULL, 1 },
	{ "Ủy ban nhân dân tỉnh Lai Châu và UBND tỉnh Lai Châu là một.", "organisation", NULL, NULL, 1 },
	{ "Bộ Chỉ huy BĐBP tỉnh chỉ đạo các đồn; BĐBP tăng cường tuần tra.", "organisation",
	  "text", "BĐBP", 0 },
	{ "Mặt trận Lào xây dựng đất nước (MLXDĐN) tỉnh Luang Namtha và Mặt trận Lào xây dựng đất "
	  "nước tỉnh Luang Namtha.", "organisation", NULL, NULL, 1 },
	{ "Quy chế phối hợp giữa Đồn Biên phòng Ba Sơn và UBND xã Mẫu Sơn được ký năm 2020. Quy chế "
	  "phối hợp giữa hai đơn vị đi vào nền nếp.", "legal_ref", NULL, NULL, 1 },
	{ "Trao Bằng khen cho 3 tập thể\nDịp này, UBND tỉnh trao Bằng khen cho 3 tập thể.",
	  "commendation", NULL, NULL, 1 },
	{ "Hai bên trao Huân chương cho các cá nhân. Bộ Quốc phòng tặng Huân chương cho 4 cá nhân.",
	  "commendation", NULL, NULL, 1 },
	{ "Quý III/2025 (từ ngày 01/7/2025 đến ngày 30/9/2025) các đồn tuần tra.", "date", NULL,
	  NULL, 1 },
	{ "Hai bên kết nghĩa khu Phố Mới với thôn Vạn Vỹ; thôn Vạn Vĩ có 90 hộ.", "unit",
	  "level", "village", 2 },
	{ "Kết nghĩa với bản Phôn Xay (tỉnh Sê Kông, Lào). Bản Phôn Xay ở tỉnh Sê-Kông.",
	  "foreign_unit", NULL, NULL, 2 },
	/* two people of one name with offices that do not agree */
	{ "Dự có ông Lò Văn Tám, Chủ tịch UBND xã Mường Lạn. Ông Lò Văn Tám, Phó Chủ tịch UBND "
	  "huyện Sốp Cộp phát biểu.", "person", "name", "Lò Văn Tám", 2 },
	{ "Dự có ông Lò Văn Tám, Chủ tịch UBND xã Mường Lạn. Chủ tịch UBND xã Lò Văn Tám phát biểu.",
	  "person", "name", "Lò Văn Tám", 1 },
};

static void
test_once(void **state)
{
	size_t bad = 0;

	for (size_t i = 0; i < N_ELEM(once_cases); i++) {
		struct ingest_options opt = { "case.txt", "2024-05-01", "2026-01-01",
			units_gaz };
		struct err e = { 0 };
		json_t *set = NULL;
		size_t n;
		if (ingest_extract(*state, once_cases[i].text, strlen(once_cases[i].text), &opt,
		    &set, &e) != 0)
			fail_msg("case %zu: %s", i, e.msg);
		n = count_props(set, once_cases[i].kind, once_cases[i].field, once_cases[i].value);
		if (n != once_cases[i].n) {
			print_error("once case %zu (%s): %zu %s, want %zu\n", i, once_cases[i].text, n,
			    once_cases[i].kind, once_cases[i].n);
			bad++;
		}
		json_decref(set);
	}
	assert_int_equal(bad, 0);
}

/* A gazetteer loaded once reads every text as one loaded for that text
 * does: the same proposal set, on texts with units, people and bodies. */
static void
test_gazetteer(void **state)
{
	static const size_t picks[] = { 0, 4, 8, 14, 16 };

	for (size_t i = 0; i < N_ELEM(picks); i++) {
		const struct extract_case *c = &unit_cases[picks[i]];
		struct ingest_options own = { "case.txt", c->pub, "2026-01-01", NULL };
		struct ingest_options shared = own;
		struct err e = { 0 };
		json_t *a = NULL, *b = NULL;

		shared.gazetteer = units_gaz;
		assert_int_equal(ingest_extract(*state, c->text, strlen(c->text), &own, &a, &e), 0);
		assert_int_equal(ingest_extract(*state, c->text, strlen(c->text), &shared, &b,
		    &e), 0);
		assert_true(json_array_size(json_object_get(a, "proposals")) > 0);
		assert_true(json_equal(a, b));
		json_decref(a);
		json_decref(b);
	}
	/* and the same text twice on one gazetteer: nothing of it was used up */
	{
		const struct extract_case *c = &unit_cases[0];
		struct ingest_options shared = { "case.txt", c->pub, "2026-01-01", units_gaz };
		struct err e = { 0 };
		json_t *a = NULL, *b = NULL;
		assert_int_equal(ingest_extract(*state, c->text, strlen(c->text), &shared, &a,
		    &e), 0);
		assert_int_equal(ingest_extract(*state, c->text, strlen(c->text), &shared, &b,
		    &e), 0);
		assert_true(json_equal(a, b));
		json_decref(a);
		json_decref(b);
	}
}

static const struct actor tester = { .name = "test" };

static int64_t
create_id(struct store *s, const char *entity, json_t *in)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int64_t id;

	if (records_create(s, registry_find(entity), in, &tester, 0, &out, &e) != 0)
		fail_msg("create %s: %s", entity, e.msg);
	json_decref(in);
	id = json_integer_value(json_object_get(out, "id"));
	json_decref(out);
	return id;
}

/* The proposal of kind for name (people) or text (bodies). */
static json_t *
prop_named(json_t *set, const char *kind, const char *field, const char *value)
{
	struct want w = { field, value };

	return find_prop(set, kind, &w);
}

/* A person found is a stored person only when the name and a position
 * held on the text's date agree; a body shared by name goes to the one
 * whose unit the text names. */
static void
test_identity(void **state)
{
	struct store *s = *state;
	struct err e = { 0 };
	int64_t p1, p2, u1, u2, o1, o2;
	struct ingest_options opt = { "case.txt", "2024-03-10", NULL, NULL };
	json_t *set, *p;
	const char *t;

	assert_int_equal(store_unit_by_code(s, "107", "2024-01-01", &u1, &e), 0);
	assert_int_equal(store_unit_by_code(s, "109", "2024-01-01", &u2, &e), 0);
	p1 = create_id(s, "person", json_pack("{s:s}", "full_name", "Vàng Văn Dính"));
	p2 = create_id(s, "person", json_pack("{s:s}", "full_name", "Vàng Văn Dính"));
	o1 = create_id(s, "organisation", json_pack("{s:s, s:s, s:s, s:I}", "name",
	    "Hội Cựu chiến binh huyện Mường Tè", "aliases", "Hội Cựu chiến binh huyện",
	    "kind", "other", "unit_id", (json_int_t)u1));
	o2 = create_id(s, "organisation", json_pack("{s:s, s:s, s:s, s:I}", "name",
	    "Hội Cựu chiến binh huyện Phong Thổ", "aliases", "Hội Cựu chiến binh huyện",
	    "kind", "other", "unit_id", (json_int_t)u2));
	(void)create_id(s, "position", json_pack("{s:I, s:s, s:s}", "person_id", (json_int_t)p1,
	    "title", "Chủ tịch UBND huyện Mường Tè", "valid_from", "2021-01-01"));
	(void)create_id(s, "position", json_pack("{s:I, s:s, s:s, s:s}", "person_id",
	    (json_int_t)p2, "title", "Phó Chủ tịch UBND tỉnh Lai Châu", "valid_from", "2015-01-01",
	    "valid_to", "2020-12-31"));

	/* the name and the office of the date agree */
	t = "Ngày 5/3, đồng chí Vàng Văn Dính, Chủ tịch Ủy ban nhân dân huyện Mường Tè chủ trì.";
	assert_int_equal(ingest_extract(s, t, strlen(t), &opt, &set, &e), 0);
	p = prop_named(set, "person", "name", "Vàng Văn Dính");
	assert_non_null(p);
	assert_int_equal(json_integer_value(json_object_get(p, "person_id")), p1);
	assert_null(json_object_get(p, "candidates"));
	json_decref(set);

	/* an office the other held, but not on the text's date: a new person */
	t = "Ngày 5/3, đồng chí Vàng Văn Dính, Phó Chủ tịch UBND tỉnh Lai Châu dự hội nghị.";
	assert_int_equal(ingest_extract(s, t, strlen(t), &opt, &set, &e), 0);
	p = prop_named(set, "person", "name", "Vàng Văn Dính");
	assert_non_null(p);
	assert_true(json_is_null(json_object_get(p, "person_id")));
	assert_int_equal(json_array_size(json_object_get(p, "candidates")), 2);
	json_decref(set);

	/* a name alone is not enough */
	t = "Dự hội nghị có đồng chí Vàng Văn Dính.";
	assert_int_equal(ingest_extract(s, t, strlen(t), &opt, &set, &e), 0);
	p = prop_named(set, "person", "name", "Vàng Văn Dính");
	assert_non_null(p);
	assert_true(json_is_null(json_object_get(p, "person_id")));
	assert_non_null(json_object_get(p, "candidates"));
	json_decref(set);

	/* two bodies of one name: the one of the district the text names */
	t = "Ngày 5/3, Hội Cựu chiến binh huyện tổ chức hội nghị tại huyện Phong Thổ.";
	assert_int_equal(ingest_extract(s, t, strlen(t), &opt, &set, &e), 0);
	p = prop_named(set, "organisation", "text", "Hội Cựu chiến binh huyện");
	assert_non_null(p);
	assert_int_equal(json_integer_value(json_object_get(p, "organisation_id")), o2);
	json_decref(set);

	t = "Ngày 5/3, Hội Cựu chiến binh huyện tổ chức hội nghị.";
	assert_int_equal(ingest_extract(s, t, strlen(t), &opt, &set, &e), 0);
	p = prop_named(set, "organisation", "text", "Hội Cựu chiến binh huyện");
	assert_non_null(p);
	assert_true(json_is_null(json_object_get(p, "organisation_id")));
	assert_int_equal(json_array_size(json_object_get(p, "candidates")), 2);
	(void)o1;
	json_decref(set);
}

/* A text without any date: the page asks for it; today's year is marked. */
static void
test_needs_date(void **state)
{
	const char *t = "Chiều 12.9, hai đồn tổ chức tuần tra song phương.";
	struct ingest_options opt = { "case.txt", NULL, "2026-01-01", NULL };
	struct err e = { 0 };
	json_t *set, *src, *p;
	struct want w = { "text", "Chiều 12.9" };

	(void)state;
	assert_int_equal(ingest_extract(NULL, t, strlen(t), &opt, &set, &e), 0);
	src = json_object_get(set, "source");
	assert_true(json_is_null(json_object_get(src, "publication_date")));
	assert_true(json_is_true(json_object_get(src, "needs_date")));
	p = find_prop(set, "date", &w);
	assert_non_null(p);
	assert_true(json_is_true(json_object_get(p, "year_assumed")));
	assert_true(json_real_value(json_object_get(p, "confidence")) < 0.5);
	json_decref(set);
}

/* The article's dateline, not the portal's weekday stamp of today. */
static void
test_dateline_stamp(void **state)
{
	const char *t = "Thứ Sáu, ngày 8 tháng 12 năm 2023\nGiao ban cụm dân cư biên giới\n"
	    "12-10-2023\nSáng 10/10, hai bản tổ chức giao ban.";
	struct err e = { 0 };
	json_t *set, *src;
	struct want w = { "event_type", "briefing" };

	(void)state;
	assert_int_equal(ingest_extract(NULL, t, strlen(t), NULL, &set, &e), 0);
	src = json_object_get(set, "source");
	assert_string_equal(json_string_value(json_object_get(src, "publication_date")),
	    "2023-10-12");
	assert_string_equal(json_string_value(json_object_get(find_prop(set, "event", &w),
	    "date")), "2023-10-10");
	json_decref(set);
}

/* The event's place resolves to the unit, and people link to the event. */
static void
test_event_links(void **state)
{
	const char *t = "Ngày 20/5, tại huyện Mường Khương đã diễn ra hội nghị sơ kết "
	    "công tác phối hợp. Đồng chí Lê Văn Tâm, Phó Chủ tịch UBND huyện chủ trì.";
	struct ingest_options opt = { NULL, "2023-05-25", NULL, NULL };
	struct err e = { 0 };
	json_t *set, *ev, *pe;
	struct want we = { "event_type", "review_conference" };
	struct want wp = { "name", "Lê Văn Tâm" };

	assert_int_equal(ingest_extract(*state, t, strlen(t), &opt, &set, &e), 0);
	ev = find_prop(set, "event", &we);
	pe = find_prop(set, "person", &wp);
	assert_non_null(ev);
	assert_non_null(pe);
	assert_string_equal(json_string_value(json_object_get(json_object_get(ev,
	    "place_unit"), "code")), "083");
	assert_string_equal(json_string_value(json_object_get(ev, "date")), "2023-05-20");
	assert_string_equal(json_string_value(json_object_get(pe, "event")),
	    json_string_value(json_object_get(ev, "id")));
	assert_string_equal(json_string_value(json_object_get(json_object_get(set,
	    "source"), "publication_date_source")), "option");
	json_decref(set);
}

/* The dateline of a page is its publication date. */
static void
test_dateline(void **state)
{
	const char *t = "Tuần tra song phương\n\n10:05, 14/11/2019\n\nSáng 12.11, hai "
	    "đồn tổ chức tuần tra song phương.";
	struct err e = { 0 };
	json_t *set, *src;
	struct want w = { "event_type", "patrol" };

	(void)state;
	assert_int_equal(ingest_extract(NULL, t, strlen(t), NULL, &set, &e), 0);
	src = json_object_get(set, "source");
	assert_string_equal(json_string_value(json_object_get(src, "publication_date")),
	    "2019-11-14");
	assert_string_equal(json_string_value(json_object_get(src, "publication_date_source")),
	    "text");
	assert_string_equal(json_string_value(json_object_get(src, "title")),
	    "Tuần tra song phương");
	assert_string_equal(json_string_value(json_object_get(find_prop(set, "event", &w),
	    "date")), "2019-11-12");
	json_decref(set);
}

static void
test_extract_bad_input(void **state)
{
	struct err e = { 0 };
	json_t *set = NULL;

	(void)state;
	assert_int_equal(ingest_extract(NULL, "\xC3\x28", 2, NULL, &set, &e), -1);
	assert_int_equal(e.code, ERR_BAD_REQUEST);
	assert_null(set);
	err_clear(&e);
	assert_int_equal(ingest_extract(NULL, "  \n 12 ", 7, NULL, &set, &e), -1);
	assert_int_equal(e.code, ERR_BAD_REQUEST);
	err_clear(&e);
	assert_int_equal(ingest_extract(NULL, "a\0b", 3, NULL, &set, &e), -1);
	assert_int_equal(e.code, ERR_BAD_REQUEST);
	err_clear(&e);
}

/* ---- plain text of files ------------------------------------------------------ */

static void
plain(const char *name, const char *data, size_t len, const char *want)
{
	struct err e = { 0 };
	char *out = NULL;
	size_t n = 0;

	if (ingest_plain_text(name, (const unsigned char *)data, len, &out, &n, &e) != 0)
		fail_msg("%s: %s", name, e.msg);
	if (strcmp(out, want) != 0)
		fail_msg("%s: got «%s», want «%s»", name, out, want);
	assert_int_equal(n, strlen(want));
	free(out);
}

static void
test_plain_txt_html(void **state)
{
	/* "Ử" decomposed (U + combining horn + combining hook above) comes
	 * back NFC; CR LF becomes LF; the BOM is dropped */
	const char nfd[] = "\xEF\xBB\xBFU\xCC\x9B\xCC\x89y ban\r\nxa\xCC\x83";
	const char *html = "<html><head><title>t</title><style>p{}</style></head>"
	    "<body><script>var a = '<p>';</script><p>Ng&agrave;y 5/9 &amp; "
	    "H&#7897;i ngh&#x1ECB;</p><div>Xã&nbsp;Bản Lầu<br>2 vụ</div>"
	    "<!-- <p>ẩn</p> --></body></html>";

	(void)state;
	plain("a.txt", nfd, strlen(nfd), "\xE1\xBB\xACy ban\nx\xC3\xA3");
	plain("b.HTML", html, strlen(html),
	    "\nNgày 5/9 & Hội nghị\n\nXã\xC2\xA0" "Bản Lầu\n2 vụ\n");
}

/* A .docx made here with libzip: paragraphs, runs, a tab, entities. */
static void
test_plain_docx(void **state)
{
	const char *xml = "<?xml version=\"1.0\"?><w:document><w:body>"
	    "<w:p><w:r><w:t>Ngày 31/10, </w:t></w:r><w:r><w:t xml:space=\"preserve\">"
	    "hội nghị &amp; giao ban</w:t></w:r></w:p>"
	    "<w:p><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t></w:r></w:p>"
	    "<w:p/></w:body></w:document>";
	zip_error_t ze;
	zip_source_t *src, *part;
	zip_t *z;
	zip_stat_t st;
	unsigned char *data;
	zip_int64_t n;

	(void)state;
	zip_error_init(&ze);
	src = zip_source_buffer_create(NULL, 0, 0, &ze);
	assert_non_null(src);
	z = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	assert_non_null(z);
	zip_source_keep(src);
	part = zip_source_buffer(z, xml, strlen(xml), 0);
	assert_true(zip_file_add(z, "word/document.xml", part, ZIP_FL_ENC_UTF_8) >= 0);
	assert_int_equal(zip_close(z), 0);
	assert_int_equal(zip_source_stat(src, &st), 0);
	data = malloc(st.size);
	assert_int_equal(zip_source_open(src), 0);
	n = zip_source_read(src, data, st.size);
	assert_int_equal(n, (zip_int64_t)st.size);
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&ze);
	plain("r.docx", (const char *)data, (size_t)n,
	    "Ngày 31/10, hội nghị & giao ban\na\tb\nc\n\n");
	free(data);
}

static void
test_plain_bad(void **state)
{
	struct err e = { 0 };
	char *out = (char *)1;
	size_t n;

	(void)state;
	assert_int_equal(ingest_plain_text("x.txt", (const unsigned char *)"\xFF\xFE", 2,
	    &out, &n, &e), -1);
	assert_int_equal(e.code, ERR_BAD_REQUEST);
	assert_null(out);
	err_clear(&e);
	assert_int_equal(ingest_plain_text("x.html", (const unsigned char *)"<p>\xC3</p>", 8,
	    &out, &n, &e), -1);
	assert_int_equal(e.code, ERR_BAD_REQUEST);
	err_clear(&e);
	assert_int_equal(ingest_plain_text("x.docx", (const unsigned char *)"PK not a zip", 12,
	    &out, &n, &e), -1);
	assert_int_equal(e.code, ERR_BAD_REQUEST);
	err_clear(&e);
	assert_int_equal(ingest_plain_text("x.pdf", (const unsigned char *)"%PDF", 4,
	    &out, &n, &e), -1);
	assert_int_equal(e.code, ERR_BAD_REQUEST);
	err_clear(&e);
}

int
main(void)
{
	const struct CMUnitTest plain_tests[] = {
		cmocka_unit_test(test_plain_txt_html),
		cmocka_unit_test(test_plain_docx),
		cmocka_unit_test(test_plain_bad),
		cmocka_unit_test(test_extract_table),
		cmocka_unit_test(test_dateline),
		cmocka_unit_test(test_dateline_stamp),
		cmocka_unit_test(test_needs_date),
		cmocka_unit_test(test_extract_bad_input),
	};
	const struct CMUnitTest unit_tests[] = {
		cmocka_unit_test(test_extract_table_units),
		cmocka_unit_test(test_extract_units),
		cmocka_unit_test(test_event_links),
		cmocka_unit_test(test_once),
		cmocka_unit_test(test_gazetteer),
	};
	const struct CMUnitTest demo_tests[] = {
		cmocka_unit_test(test_identity),
	};
	int rc = cmocka_run_group_tests_name("ingest", plain_tests, NULL, NULL);

	rc |= cmocka_run_group_tests_name("ingest_units", unit_tests, setup_units_gaz,
	    teardown_units_gaz);
	rc |= cmocka_run_group_tests_name("ingest_demo", demo_tests, tu_setup_demo,
	    tu_teardown);
	return rc;
}
