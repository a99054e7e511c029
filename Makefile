# hindsight: a thin front for Meson. See README.md.
#   make        optimised build at build/hindsight
#   make demo   install what is missing, build, run the demo scenario
#   make test   install what is missing, build with ASan+UBSan, run every test
#   make bench  benchmarks (figures only; never pass/fail on time)
#   make fuzz   build the libFuzzer targets with clang and run each briefly
#   make clean

BUILD      ?= build
TEST_BUILD ?= build-test
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 20

.PHONY: all demo test bench fuzz clean check

all: $(BUILD)/build.ninja
	ninja -C $(BUILD)

$(BUILD)/build.ninja:
	@scripts/bootstrap.sh build
	meson setup $(BUILD) --buildtype=release -Dtests=false

$(TEST_BUILD)/build.ninja:
	@scripts/bootstrap.sh test
	meson setup $(TEST_BUILD) --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false

demo: all
	scripts/demo.sh $(BUILD)/hindsight

test:
	@scripts/bootstrap.sh test
	@$(MAKE) --no-print-directory $(TEST_BUILD)/build.ninja
	ninja -C $(TEST_BUILD)
	@$(MAKE) --no-print-directory all
	VALGRIND_BUILD=$(BUILD) scripts/run-tests.sh $(TEST_BUILD)

check: test

bench: all
	@scripts/bootstrap.sh bench
	bench/run.sh $(BUILD)/hindsight

fuzz:
	@scripts/bootstrap.sh fuzz
	@test -f $(FUZZ_BUILD)/build.ninja || CC=clang meson setup $(FUZZ_BUILD) --buildtype=debug \
		-Dfuzzing=true -Dtests=false -Db_sanitize=address,undefined -Db_lundef=false
	ninja -C $(FUZZ_BUILD)
	scripts/run-fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD) $(TEST_BUILD) $(FUZZ_BUILD)
