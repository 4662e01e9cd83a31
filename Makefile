# giapranh - the commands of the README.  Meson + Ninja do the building;
# this file only names the steps.
#   make run    install, build the optimised hardened server (build-release),
#               create giapranh.db with units and demo data, serve
#   make test   install, build with ASan + UBSan (build), run every test;
#               ends with "N passed, N failed"

BUILD    ?= build
DB       ?= giapranh.db
LISTEN   ?= 127.0.0.1:8080
GIAPRANH  = $(BUILD)/giapranh
# The build that is deployed (issue 19): -O2, no sanitizers (they belong to
# `make test`), _FORTIFY_SOURCE, stack protector, PIE, full RELRO (meson
# option `hardening`).  tools/check-buildtypes.sh builds the same options.
RELEASE      ?= build-release
RELEASE_OPTS  = -Doptimization=2 -Ddebug=false -Db_sanitize=none -Db_pie=true \
                -Dhardening=true

.PHONY: deps build release release-opts run test install clean bench crash fuzz fuzz-routes soak \
        phones fault eval eval-heldout eval-dev eval-test

deps:
	@sh tools/install-deps.sh

$(BUILD)/build.ninja:
	meson setup $(BUILD)

build: $(BUILD)/build.ninja
	ninja -C $(BUILD)

$(RELEASE)/build.ninja:
	meson setup $(RELEASE) $(RELEASE_OPTS)

# only the server: the unit tests are for the sanitizer build
release: $(RELEASE)/build.ninja
	ninja -C $(RELEASE) giapranh

release-opts:
	@echo $(RELEASE_OPTS)

run: deps release
	$(RELEASE)/giapranh --db sqlite:$(DB) init --demo
	@echo ""
	@echo "  Mở trình duyệt:  http://$(LISTEN)/"
	@echo "  Đăng nhập demo:  admin / giapranh-demo   (quản trị, được xem tin mật)"
	@echo "                   simacai / giapranh-demo (nhập liệu huyện Si Ma Cai)"
	@echo "                   xem / giapranh-demo     (chỉ xem)"
	@echo "  Dừng: Ctrl+C"
	@echo ""
	$(RELEASE)/giapranh --db sqlite:$(DB) serve --listen $(LISTEN)

test: deps build
	@sh tests/run.sh $(BUILD)

# the optimised server, its static files, data, docs and a systemd unit
# under standard paths (tools/install.sh; docs/OPERATIONS.md)
PREFIX     ?= /usr/local
SYSCONFDIR ?= /etc
UNITDIR    ?= /etc/systemd/system
install: release
	sh tools/install.sh --bin $(RELEASE)/giapranh --prefix $(PREFIX) \
	    --destdir "$(DESTDIR)" --sysconfdir $(SYSCONFDIR) --unitdir $(UNITDIR)

# crash safety, long form: 100 SIGKILLs under writers, 10 killed imports
# (SQLite; CRASH_PG=URL of a scratch PostgreSQL server runs it there too)
crash: deps build
	GIAPRANH_BIN=$(CURDIR)/$(GIAPRANH) /usr/bin/python3 tests/crash/crash_test.py --kills 100 --imports 10
	@if [ -n "$(CRASH_PG)" ]; then GIAPRANH_BIN=$(CURDIR)/$(GIAPRANH) /usr/bin/python3 tests/crash/crash_test.py --kills 100 --imports 10 --pg "$(CRASH_PG)"; fi

# soak: 30 minutes, 200 connections, ~300 req/s; release build in build-soak
soak: deps
	/usr/bin/python3 bench/soak

# libFuzzer targets (tests/fuzz), FUZZ_SECONDS each (all at once); needs clang
FUZZ_SECONDS ?= 60
fuzz:
	@command -v clang >/dev/null 2>&1 || sh tools/install-deps.sh --fuzz
	FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz/run.sh build-fuzz

# every route fuzzed over HTTP (tests/e2e/routefuzz.py), long form: the
# short one runs in `make test`; FUZZ_ROUTES_SECONDS bounds the time (0: none)
FUZZ_ROUTES_SEED    ?= $(shell date +%s)
FUZZ_ROUTES_GETS    ?= 20000
FUZZ_ROUTES_BODIES  ?= 5000
FUZZ_ROUTES_SECONDS ?= 0
fuzz-routes: deps build
	GIAPRANH_BIN=$(CURDIR)/$(GIAPRANH) FUZZ_ROUTES_SEED=$(FUZZ_ROUTES_SEED) \
	    FUZZ_ROUTES_GETS=$(FUZZ_ROUTES_GETS) FUZZ_ROUTES_BODIES=$(FUZZ_ROUTES_BODIES) \
	    FUZZ_ROUTES_SECONDS=$(FUZZ_ROUTES_SECONDS) /usr/bin/python3 -m pytest -q -s \
	    -p no:cacheprovider tests/e2e/test_route_fuzz.py

# phones, long form: every page as admin and as the district editor at
# 390, 360 and 414 px (`make test` shares the entities' pages between them)
phones: deps build
	PHONES_FULL=1 ONLY='^phones' GIAPRANH_BIN=$(CURDIR)/$(GIAPRANH) node tests/browser/run.mjs

# fault injection, long form: every N of every operation, then disk full / I/O errors
fault: deps build
	sh tests/fault/run.sh $(BUILD)

# ingest (issues 9, 15): precision, recall, F1 per kind of fact against hand annotations,
# lenient and strict: the five seeds, then both halves of the border-area corpus (totals only;
# eval-dev lists each text, eval-test only the totals of the frozen half)
EVAL = GIAPRANH_BIN=$(CURDIR)/$(GIAPRANH) /usr/bin/python3 tests/ingest/eval.py
eval: build
	$(EVAL)
	$(EVAL) --set dev --summary
	$(EVAL) --set test --summary
eval-heldout: build
	$(EVAL) --set heldout
eval-dev: build
	$(EVAL) --set dev
eval-test: build
	$(EVAL) --set test --summary

clean:
	rm -rf $(BUILD) $(RELEASE)
