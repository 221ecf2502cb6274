# qldbtop - build, deps, test, bench, demo, asan, tsan, fuzz.
# Sources are found by folder, so a new file needs no Makefile edit:
#   tui/ widgets/ api/ verify/ sim/   -> the program (tui/main.c holds main)
#   tests/unit/test_*.c               -> one cmocka binary each
#   tests/gen/*.c                     -> test and bench tools (generators)
#   tests/fuzz/fuzz_*.c               -> libFuzzer targets (clang)

CC      ?= cc
BUILD   ?= build
PKGS    := ncursesw libcurl libcjson libmicrohttpd libcrypto expat yaml-0.1
VERSION := 0.1.0
OPT     ?= -O2 -g
CFLAGS_EXTRA ?=
LDFLAGS_EXTRA ?=

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS  := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -pthread $(OPT) \
           -DQLDBTOP_VERSION='"$(VERSION)"' -I. $(PKG_CFLAGS) $(CFLAGS_EXTRA)
LDLIBS  := $(PKG_LIBS) -lm -pthread $(LDFLAGS_EXTRA)

LIB_SRC  := $(sort $(wildcard common/*.c verify/*.c api/*.c sim/*.c widgets/*.c) $(filter-out tui/main.c,$(wildcard tui/*.c)))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
MAIN_OBJ := $(BUILD)/tui/main.o
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TLIB_SRC := $(sort $(wildcard tests/lib/*.c))
TLIB_OBJ := $(TLIB_SRC:%.c=$(BUILD)/%.o)
GEN_SRC  := $(sort $(wildcard tests/gen/*.c))
GEN_BIN  := $(GEN_SRC:tests/gen/%.c=$(BUILD)/tools/%)
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
DEPS     := $(LIB_OBJ:.o=.d) $(MAIN_OBJ:.o=.d) $(TLIB_OBJ:.o=.d)

.SECONDARY:
.PHONY: all deps test unit bench soak demo clean asan tsan fuzz fuzz-build fuzz-smoke format check-format tools
all: qldbtop

qldbtop: $(BUILD)/qldbtop
	@if [ "$(BUILD)" = build ]; then cp $< $@.tmp && mv -f $@.tmp $@; fi

$(BUILD)/qldbtop: $(MAIN_OBJ) $(BUILD)/libqldbtop.a
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/libqldbtop.a: $(LIB_OBJ)
	@rm -f $@
	$(Q)ar rcs $@ $^

# Quiet by default; `make V=1` shows the commands.
Q := $(if $(V),,@)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(TLIB_OBJ) $(BUILD)/libqldbtop.a
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  TEST    $@")
	$(Q)$(CC) $(CFLAGS) -MMD -MP -o $@ $< $(TLIB_OBJ) $(BUILD)/libqldbtop.a $(LDLIBS) -lcmocka

$(BUILD)/tools/%: tests/gen/%.c $(TLIB_OBJ) $(BUILD)/libqldbtop.a
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  TOOL    $@")
	$(Q)$(CC) $(CFLAGS) -MMD -MP -o $@ $< $(TLIB_OBJ) $(BUILD)/libqldbtop.a $(LDLIBS)

tools: $(GEN_BIN)
unit: $(UNIT_BIN)

# System packages, only those missing, through apt-get (sudo when not root).
deps:
	@sh tests/deps.sh

test: deps
	@$(MAKE) --no-print-directory all unit tools
	@sh tests/run.sh

bench: all tools
	@sh tests/bench/run.sh

# The dashboard for SOAK_SECONDS (default 600) with the demo's faults
# repeating: tests/soak/soak.sh prints its checks and a one-line verdict.
soak: all
	@sh tests/soak/soak.sh

demo: deps
	@$(MAKE) --no-print-directory all
	./qldbtop --demo

# make install / make uninstall [PREFIX=/usr/local] [DESTDIR=]: the program
# to $(PREFIX)/bin, the man page to $(MANDIR)/man1, the assets (themes,
# scenarios, recipe) to $(DATADIR); the program finds them as
# ../share/qldbtop beside itself, else at $(DATADIR) (compiled into
# tui/assets.o: after changing PREFIX or DATADIR, rebuild it).
PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/qldbtop
# (a folder's subfolders are listed before it: uninstall empties them first)
ASSET_DIRS := themes scenarios recipe/scripts recipe
$(BUILD)/tui/assets.o: CFLAGS += -DQLDBTOP_DATADIR='"$(DATADIR)"'
.PHONY: install uninstall
install: all
	install -d "$(DESTDIR)$(BINDIR)" "$(DESTDIR)$(MANDIR)/man1"
	install -m 0755 $(BUILD)/qldbtop "$(DESTDIR)$(BINDIR)/qldbtop"
	install -m 0644 assets/qldbtop.1 "$(DESTDIR)$(MANDIR)/man1/qldbtop.1"
	for d in $(ASSET_DIRS); do \
	  install -d "$(DESTDIR)$(DATADIR)/$$d" || exit 1; \
	  for f in assets/$$d/*; do \
	    [ -f "$$f" ] || continue; \
	    case $$f in *.sh) m=0755 ;; *) m=0644 ;; esac; \
	    install -m $$m "$$f" "$(DESTDIR)$(DATADIR)/$$d/" || exit 1; \
	  done; \
	done

uninstall:
	rm -f "$(DESTDIR)$(BINDIR)/qldbtop" "$(DESTDIR)$(MANDIR)/man1/qldbtop.1"
	for d in $(ASSET_DIRS); do \
	  for f in assets/$$d/*; do \
	    rm -f "$(DESTDIR)$(DATADIR)/$$d/$${f##*/}"; \
	  done; \
	  rmdir "$(DESTDIR)$(DATADIR)/$$d" 2>/dev/null || true; \
	done
	rmdir "$(DESTDIR)$(DATADIR)" 2>/dev/null || true

asan:
	@$(MAKE) --no-print-directory BUILD=build-asan CC=clang OPT="-O1 -g -fno-omit-frame-pointer" \
	  CFLAGS_EXTRA="-fsanitize=address,undefined -fno-sanitize-recover=undefined" \
	  LDFLAGS_EXTRA="-fsanitize=address,undefined" build-asan/qldbtop unit-asan

# The sanitizer builds run the unit, integration and end-to-end suites on the
# instrumented program and tools.
SAN_SUITES ?= unit integration e2e
unit-asan: $(UNIT_BIN) $(GEN_BIN)
	@QLDBTOP_SANITIZER=asan QLDBTOP_BIN=$(BUILD)/qldbtop QLDBTOP_UNIT_DIR=$(BUILD)/tests QLDBTOP_TOOLS=$(BUILD)/tools \
	  QLDBTOP_SUITES="$(SAN_SUITES)" sh tests/run.sh

tsan:
	@$(MAKE) --no-print-directory BUILD=build-tsan CC=clang OPT="-O1 -g" \
	  CFLAGS_EXTRA="-fsanitize=thread" LDFLAGS_EXTRA="-fsanitize=thread" build-tsan/qldbtop unit-tsan

# TSAN_ONLY: patterns of the tests to run (tests/run.sh's QLDBTOP_ONLY;
# empty: all). .ci/run passes TSAN_THREADED: every unit binary, and the
# scripts whose processes run threads against each other (the pollers,
# the job runner, the auditor, the endpoint's server and journal threads,
# the parallel export verifier, the dashboard); the others mostly time
# the AWS CLI, and ASan runs them all.
TSAN_ONLY ?=
TSAN_THREADED := test_* api_* serve_* snapshot_check verify_export verify_export_s3 \
                 dashboard_keys soak_short
unit-tsan: $(UNIT_BIN) $(GEN_BIN)
	@QLDBTOP_SANITIZER=tsan QLDBTOP_BIN=$(BUILD)/qldbtop QLDBTOP_UNIT_DIR=$(BUILD)/tests QLDBTOP_TOOLS=$(BUILD)/tools \
	  QLDBTOP_SUITES="$(SAN_SUITES)" QLDBTOP_ONLY="$(TSAN_ONLY)" sh tests/run.sh
tsan-threaded:
	@$(MAKE) --no-print-directory tsan TSAN_ONLY="$(TSAN_THREADED)"

# libFuzzer targets: clang with ASan + UBSan over the verify/ sources.
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -g -O1 -I. -fsanitize=fuzzer,address,undefined \
               -fno-sanitize-recover=undefined
VERIFY_SRC  := $(sort $(wildcard verify/*.c))
build-fuzz/%: tests/fuzz/%.c $(VERIFY_SRC) $(wildcard verify/*.h tests/fuzz/*.h)
	@mkdir -p build-fuzz
	@echo "  FUZZ    $@"
	$(Q)clang $(FUZZ_CFLAGS) -o $@ $< $(VERIFY_SRC) -lcrypto -lm
# fuzz_json_*: api/'s strict JSON reader (cJSON underneath)
build-fuzz/fuzz_json_%: tests/fuzz/fuzz_json_%.c common/json_strict.c common/json_strict.h
	@mkdir -p build-fuzz
	@echo "  FUZZ    $@"
	$(Q)clang $(FUZZ_CFLAGS) -o $@ $< common/json_strict.c -lcjson -lm
# the binary target is the text harness compiled with FUZZ_ION_BINARY
build-fuzz/fuzz_ion_binary: tests/fuzz/fuzz_ion_text.c
# fuzz_api_* and fuzz_sim_*: the AWS client layer and the endpoint,
# linked from one archive of api/, sim/ and verify/
# objects instrumented once (coverage, ASan, UBSan), so a target pulls in
# only the objects it calls and a new one costs a link, not a rebuild.
FUZZ_LIB_SRC := $(sort $(wildcard common/*.c api/*.c sim/*.c) $(VERIFY_SRC))
FUZZ_LIB_OBJ := $(FUZZ_LIB_SRC:%.c=build-fuzz/obj/%.o)
FUZZ_OBJ_CFLAGS := $(filter-out -fsanitize=%,$(FUZZ_CFLAGS)) -pthread $(PKG_CFLAGS) \
                   -DQLDBTOP_VERSION='"$(VERSION)"' \
                   -fsanitize=fuzzer-no-link,address,undefined
FUZZ_LIBS := $(PKG_LIBS) -lm -pthread
build-fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $<"
	$(Q)clang $(FUZZ_OBJ_CFLAGS) -MMD -MP -c -o $@ $<
build-fuzz/libfuzz.a: $(FUZZ_LIB_OBJ)
	@rm -f $@
	$(Q)ar rcs $@ $^
# fuzz_api_ini never runs a credential source: the fetchers are wrapped
# (the harness's __wrap_* refuse), so no process is spawned, no socket opened
FUZZ_WRAP_fuzz_api_ini := -Wl,--wrap=cred_process_run,--wrap=cred_container_fetch \
                          -Wl,--wrap=cred_imds_fetch,--wrap=cred_http_call
build-fuzz/fuzz_api_%: tests/fuzz/fuzz_api_%.c build-fuzz/libfuzz.a $(wildcard tests/fuzz/*.h)
	@mkdir -p build-fuzz
	@echo "  FUZZ    $@"
	$(Q)clang $(FUZZ_CFLAGS) $(PKG_CFLAGS) -o $@ $< build-fuzz/libfuzz.a \
	  $(FUZZ_WRAP_fuzz_api_$*) $(FUZZ_LIBS)
# fuzz_sim_*: the endpoint (SigV4, routes, scenario, log, S3/Kinesis); the
# archive brings whatever sim/ objects they reach, however sim/ grows
build-fuzz/fuzz_sim_%: tests/fuzz/fuzz_sim_%.c build-fuzz/libfuzz.a $(wildcard tests/fuzz/*.h)
	@mkdir -p build-fuzz
	@echo "  FUZZ    $@"
	$(Q)clang $(FUZZ_CFLAGS) $(PKG_CFLAGS) -o $@ $< build-fuzz/libfuzz.a $(FUZZ_LIBS)
# fuzz_tui_*: the dashboard's config and theme file parsers, linked from an
# archive of tui/ and widgets/ (no terminal is opened: only the objects the
# parsers reach are pulled in). A static pattern rule makes the objects
# explicit targets, so make need not chain implicit rules to reach them.
FUZZ_TUI_OBJ := $(patsubst %.c,build-fuzz/obj/%.o,$(filter-out tui/main.c,\
                $(sort $(wildcard tui/*.c widgets/*.c))))
$(FUZZ_TUI_OBJ): build-fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $<"
	$(Q)clang $(FUZZ_OBJ_CFLAGS) -MMD -MP -c -o $@ $<
build-fuzz/libfuzz_tui.a: $(FUZZ_TUI_OBJ)
	@rm -f $@
	$(Q)ar rcs $@ $^
build-fuzz/fuzz_tui_%: tests/fuzz/fuzz_tui_%.c build-fuzz/libfuzz_tui.a build-fuzz/libfuzz.a
	@mkdir -p build-fuzz
	@echo "  FUZZ    $@"
	$(Q)clang $(FUZZ_CFLAGS) $(PKG_CFLAGS) -o $@ $< build-fuzz/libfuzz_tui.a build-fuzz/libfuzz.a \
	  $(FUZZ_LIBS)
-include $(FUZZ_LIB_OBJ:.o=.d) $(FUZZ_TUI_OBJ:.o=.d)

FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=build-fuzz/%)
fuzz-build: $(FUZZ_BIN)
fuzz: $(FUZZ_BIN)
	@FUZZ_SECONDS=$${FUZZ_SECONDS:-600} sh tests/fuzz/run.sh $(FUZZ_BIN)

# at most 2 minutes in all: 12 s per Ion reader, 4 s per other target, plus start-up
fuzz-smoke: $(FUZZ_BIN)
	@FUZZ_SECONDS=$${FUZZ_SECONDS:-12} FUZZ_SECONDS_OTHER=$${FUZZ_SECONDS_OTHER:-4} sh tests/fuzz/run.sh $(FUZZ_BIN)

format:
	clang-format -i $(LIB_SRC) tui/main.c $(wildcard */*.h) $(UNIT_SRC) $(GEN_SRC) $(FUZZ_SRC) $(wildcard tests/fuzz/*.h tests/lib/*.[ch])

check-format:
	@sh tests/check-format.sh

clean:
	rm -rf build build-asan build-tsan build-fuzz qldbtop

-include $(DEPS) $(UNIT_BIN:=.d) $(GEN_BIN:=.d)

# The npm test peers (kinesalite, s3rver) pinned in tests/peers/package.json,
# for tests/integration/api_peers.sh; tests/peers/node_modules is not committed.
.PHONY: peers
peers:
	npm install --prefix tests/peers --no-audit --no-fund

# The recipe's CDK TypeScript app's packages (aws-cdk-lib, constructs, the
# aws-cdk CLI, tsx, typescript), pinned in assets/recipe/cdk-typescript/
# package-lock.json, for tests/integration/cfn_cdk.sh; its node_modules is
# not committed.
.PHONY: recipe-cdk
recipe-cdk:
	npm install --prefix assets/recipe/cdk-typescript --no-audit --no-fund
