# c5hub — one hand-written Makefile.
#   make            build build/c5hub
#   make check      unit + integration tests, then the unit tests, corpora and
#                   VG_SCRIPTS under Valgrind memcheck, then all under
#                   ASan+UBSan, then the fuzz seed corpora and a short fuzz run
#   make valgrind   only the Valgrind pass
#   make demo       install what is missing, build, load demo data, serve
#   make bench      benchmarks (see bench/README.md)
#   make fuzz       run every libFuzzer target for FUZZ_SECONDS each
#   SANITIZE=1      build into build-asan/ with AddressSanitizer + UBSan

CC      ?= cc
TESTDATA ?= $(abspath ../shared/testdata)
SANITIZE ?=
FUZZ ?=
ifeq ($(FUZZ),1)
# libFuzzer targets (tests/fuzz.sh): the library once with coverage, each
# target linked against it
CC       = clang
BUILD   ?= build-fuzz
SANFLAGS = -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
OPT      = -O1
else ifeq ($(SANITIZE),1)
BUILD   ?= build-asan
# ASan and UBSan do not see uninitialised reads: in this flavour every local
# starts as a pattern (0xFE bytes), so such a read fails the same way each run
SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
           -ftrivial-auto-var-init=pattern
OPT      = -O1
else
BUILD   ?= build
SANFLAGS =
OPT      = -O2
endif

WARN    = $(if $(FUZZ),,-Wno-format-truncation) -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
          -Wpointer-arith -Wformat=2 -Wvla -Wno-missing-field-initializers
CFLAGS  += -DTESTDATA=\"$(TESTDATA)\" -std=c11 -D_GNU_SOURCE -g $(OPT) $(WARN) $(SANFLAGS) -Isrc -I/usr/include/libxml2 -pthread
LDFLAGS += $(SANFLAGS) -pthread
LIBS     = -lmicrohttpd -ljansson -lsqlite3 -lidn2 -lgnutls -largon2 -lm # libcurl, libxml2: core/libs.c
# the PostgreSQL back end (src/store/store_pg.c): libpq
CFLAGS  += -I/usr/include/postgresql
LIBS    += -lpq

MODULES = core store index rep wlist ingest auth http hub dns export pki audit cons event notify feed watch stix taxii misp iodef evidence people web cindex case assess gw csaf sla mail intake

LIB_SRC = $(foreach m,$(MODULES),$(wildcard src/$(m)/*.c))
CLI_SRC = $(wildcard src/cli/*.c)
LIB_OBJ = $(LIB_SRC:%.c=$(BUILD)/%.o) $(DATA_OBJ)
# the PostgreSQL back end's stubs for the store_ops it has not yet
LIB_OBJ += $(BUILD)/gen/store_pg_stubs.o
CLI_OBJ = $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRC = $(wildcard fuzz/fuzz_*.c)
FUZZ_REPLAY = $(FUZZ_SRC:fuzz/%.c=$(BUILD)/fuzz/%-replay)
FUZZ_SECONDS ?= 20
# black-box scripts whose every c5hub runs under Valgrind in make check (the
# longest first: two run at a time)
VG_SCRIPTS ?= watch fault cli stix misp api export iodef dns cindex

.PHONY: all check test unit integration fuzz fuzz-bins fuzz-replay bench demo clean deps valgrind
all: $(BUILD)/c5hub

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

# Data files built in as C strings: data/DIR/NAME.EXT becomes the array
# data_DIR_NAME_EXT in build/gen/data/DIR/NAME.EXT.c (defaults and templates).
DATA_FILES = data/reputation.conf data/warninglists.conf data/notify.conf \
             data/templates/report.txt data/templates/warning.txt data/common-passwords.txt data/lifecycle.conf \
             data/assess/default.json data/assess/roadmap.json data/sla.conf \
             $(wildcard data/web/*.html data/web/*.css data/web/*.js data/po/*.po)
DATA_FILES += $(wildcard data/mail/*.txt)
# the console's chart library: Debian's libjs-chart.js, built in (works offline)
CHART_JS   = /usr/share/javascript/chart.js/chart.min.js
DATA_OBJ   = $(DATA_FILES:%=$(BUILD)/gen/%.o) $(BUILD)/gen/chart.min.js.o

$(BUILD)/gen/data/%.c: data/%
	@mkdir -p $(dir $@)
	{ echo '/* generated from $< */'; echo "const char $$(echo '$<' | tr '/.-' '___')[] ="; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/?/\\?/g' -e 's/^/"/' -e 's/$$/\\n"/' $<; echo ';'; } > $@

$(BUILD)/gen/chart.min.js.c: $(CHART_JS)
	@mkdir -p $(dir $@)
	{ echo '/* generated from $< */'; echo "const char data_chart_min_js[] ="; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/?/\\?/g' -e 's/^/"/' -e 's/$$/\\n"/' $<; echo ';'; } > $@

# a "not yet in the PostgreSQL back end" error for every op store_pg.c leaves
# NULL, made from store.h so that an op added later is never a NULL call
$(BUILD)/gen/store_pg_stubs.c: src/store/store.h scripts/store-stubs.awk
	@mkdir -p $(dir $@)
	awk -v fn=pg_stub_fill -v name=PostgreSQL -f scripts/store-stubs.awk src/store/store.h >$@

$(BUILD)/gen/%.o: $(BUILD)/gen/%.c
	$(CC) $(CFLAGS) -Wno-missing-variable-declarations -c $< -o $@

$(BUILD)/libc5hub.a: $(LIB_OBJ)
	ar rcs $@ $^

$(BUILD)/c5hub: $(CLI_OBJ) $(BUILD)/libc5hub.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libc5hub.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libc5hub.a $(LDFLAGS) $(LIBS) -lcmocka

# Fuzz targets built with a small replay driver (any compiler) for make check.
$(BUILD)/fuzz/%-replay: fuzz/%.c fuzz/replay.c $(BUILD)/libc5hub.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< fuzz/replay.c $(BUILD)/libc5hub.a $(LDFLAGS) $(LIBS)

# libFuzzer binaries (FUZZ=1 only).
$(BUILD)/fuzz/%-libfuzzer: fuzz/%.c $(BUILD)/libc5hub.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fsanitize=fuzzer -o $@ $< $(BUILD)/libc5hub.a $(LDFLAGS) $(LIBS)
fuzz-bins: $(FUZZ_SRC:fuzz/%.c=$(BUILD)/fuzz/%-libfuzzer)

# Everything the test runner needs, for one build flavour.
test-bins: $(BUILD)/c5hub $(UNIT_BIN) $(FUZZ_REPLAY)

# The whole suite: normal build, then the sanitizer build, then fuzzing.
check: deps
	$(MAKE) test-bins
	BUILD=$(BUILD) tests/run.sh
	$(MAKE) valgrind
	$(MAKE) SANITIZE=1 test-bins
	BUILD=build-asan tests/run.sh
	tests/fuzz.sh $(FUZZ_SECONDS)
	@cat $(BUILD)/test-summary $(BUILD)/valgrind-summary build-asan/test-summary \
	  build-fuzz/test-summary | \
	  awk '{p += $$1; f += $$3} END {print "check: " p " passed, " f " failed"; exit f > 0}'

test: test-bins
	BUILD=$(BUILD) tests/run.sh

# Valgrind memcheck (the normal build, two scripts at a time): what ASan
# cannot see, uninitialised values used.
valgrind: test-bins
	VALGRIND=1 JOBS=2 SCRIPTS="$(VG_SCRIPTS)" SUMMARY=$(BUILD)/valgrind-summary \
	  BUILD=$(BUILD) tests/run.sh

fuzz:
	tests/fuzz.sh $(FUZZ_SECONDS)

bench: $(BUILD)/c5hub $(BUILD)/libc5hub.a
	scripts/deps.sh --bench
	bench/run.sh

demo: deps
	$(MAKE) all
	scripts/demo.sh

deps:
	scripts/deps.sh

clean:
	rm -rf build build-asan build-fuzz

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
