# Tapedeck: `make run` starts the whole system on the embedded stack; `make test` builds and runs
# every test. Both use the Maven wrapper (Maven 3.9) and a JDK 21+ chosen here.

# Temurin 25 (or 21) when the machine has it; otherwise the JAVA_HOME already set.
TEMURIN := $(firstword $(wildcard /usr/lib/jvm/temurin-25-jdk* /usr/lib/jvm/temurin-21-jdk*))
ifneq ($(TEMURIN),)
export JAVA_HOME := $(TEMURIN)
endif
ifneq ($(JAVA_HOME),)
export PATH := $(JAVA_HOME)/bin:$(PATH)
endif

MVN := ./mvnw -B -ntp
SERVICES := control-service proxy-service storage-service converter-service
APP_JARS := $(foreach s,$(SERVICES),$(s)/target/quarkus-app/quarkus-run.jar)
DEVSTACK_JAR := devstack/target/tapedeck-devstack.jar
BUILD_STAMP := devstack/target/.build-stamp
SOURCES := $(shell find pom.xml */pom.xml proto/src internal-auth/src devstack/src $(foreach s,$(SERVICES),$(s)/src) -type f 2>/dev/null)
RUN_FLAGS ?=
# The JVM options of the process that hosts the store (MongoWireServer.JVM_OPTIONS: heap, collector,
# what Netty may use for this JDK); asked for when the recipe runs, after the build. Without them
# the store would run on the JVM's defaults, so `run` stops if they cannot be read.
STACK_JVM_OPTIONS_COMMAND = java -cp "$(DEVSTACK_JAR):devstack/target/lib/*" dev.tapedeck.devstack.MongoWireServer --jvm-options

.PHONY: run test build clean bench bench-storage bench-playback images k8s soak cli
BENCH_FLAGS ?=

## run: build what is missing or stale, start the stack and the four services, print how to use them
run: $(BUILD_STAMP)
	@options="$$($(STACK_JVM_OPTIONS_COMMAND))" && [ -n "$$options" ] \
	  || { echo "make run: could not read the store's JVM options ($(STACK_JVM_OPTIONS_COMMAND))" >&2; exit 1; }; \
	echo "java $$options -cp ... dev.tapedeck.devstack.TapedeckRunner --repo $(CURDIR) $(RUN_FLAGS)"; \
	exec java $$options -cp "$(DEVSTACK_JAR):devstack/target/lib/*" dev.tapedeck.devstack.TapedeckRunner --repo "$(CURDIR)" $(RUN_FLAGS)

## test: build everything and run every test (unit, integration and end-to-end)
test:
	$(MVN) verify

## soak: mixed traffic through three sessions for SOAK_SECONDS (300) while storage is killed, Kafka
## restarted, control restarted and the proxy stopped; checks every answered exchange is stored once
SOAK_SECONDS ?= 300
soak:
	$(MVN) verify -pl e2e-tests -am -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=SoakIT -Dfailsafe.failIfNoSpecifiedTests=false -Dtapedeck.soak.seconds=$(SOAK_SECONDS)

## bench: throughput, latency at full speed and at a fixed pace, and CPU per request with wrk: direct vs nginx as a reverse proxy vs bare Vert.x and Netty proxies vs Tapedeck sessions, with ratios to nginx (about 20 minutes; installs nginx-light and wrk)
bench: $(BUILD_STAMP)
	@(command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx) && command -v wrk >/dev/null 2>&1 || \
	  (export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq nginx-light wrk) || \
	  echo "make bench: could not install nginx and wrk; the nginx rows are left out and an in-process load generator runs" >&2
	$(MVN) -q package -DskipTests -pl benchmark -am
	java -cp "benchmark/target/tapedeck-benchmark.jar:benchmark/target/lib/*" dev.tapedeck.benchmark.ProxyBenchmark $(BENCH_FLAGS)

## bench-storage: ingestion rate filling sessions and with eviction (embedded store; a warm-up round, then the median of three), storage-service alone against a no-cost Mongo-wire sink, list/search latency (a few minutes; BENCH_FLAGS="--total 1000000" for a million: over an hour on 2 cores, see docs/development.md)
bench-storage: $(BUILD_STAMP)
	$(MVN) -q package -DskipTests -pl benchmark -am
	java -cp "benchmark/target/tapedeck-benchmark.jar:benchmark/target/lib/*" dev.tapedeck.benchmark.StorageBenchmark $(BENCH_FLAGS)

## bench-playback: req/s through a playback session answering from 1,000 mocks vs the same session forwarding to a local upstream, recorded and not (about 6 minutes)
bench-playback: $(BUILD_STAMP)
	$(MVN) -q package -DskipTests -pl benchmark -am
	java -cp "benchmark/target/tapedeck-benchmark.jar:benchmark/target/lib/*" dev.tapedeck.benchmark.PlaybackBenchmark $(BENCH_FLAGS)

## cli: build the tapedeck command (bin/tapedeck) and its release archive cli/target/tapedeck-cli-<version>.tar.gz (docs/cli.md)
cli:
	$(MVN) -q package -DskipTests -pl cli -am

## build: package every module without running tests
build: $(BUILD_STAMP)

$(BUILD_STAMP): $(SOURCES)
	$(MVN) -q install -DskipTests -pl proto,devstack,$(subst $(eval) ,$(comma),$(SERVICES)) -am
	@touch $@

clean:
	$(MVN) -q clean

comma := ,

## images: build the four service images (tapedeck/<service>:<tag>) with docker or podman
IMAGE_PREFIX ?= tapedeck
IMAGE_TAG ?= 0.1.0
CONTAINER_TOOL ?= $(firstword $(foreach t,docker podman,$(shell command -v $(t) 2>/dev/null)))
images:
	@if [ -z "$(CONTAINER_TOOL)" ]; then \
	  echo "make images: neither docker nor podman is installed; install one (or set CONTAINER_TOOL) to build the images."; \
	  echo "(make build, then <service>/src/main/docker/Dockerfile.jvm packs <service>/target/quarkus-app.)"; \
	  exit 1; \
	fi
	@if ! $(CONTAINER_TOOL) info >/dev/null 2>&1; then \
	  echo "make images: $(CONTAINER_TOOL) is installed but its engine does not answer ($(CONTAINER_TOOL) info failed); start it and retry."; \
	  exit 1; \
	fi
	@$(MAKE) --no-print-directory build
	@for s in $(SERVICES); do \
	  echo "$(CONTAINER_TOOL) build $(IMAGE_PREFIX)/$$s:$(IMAGE_TAG)"; \
	  $(CONTAINER_TOOL) build -f $$s/src/main/docker/Dockerfile.jvm -t $(IMAGE_PREFIX)/$$s:$(IMAGE_TAG) $$s || exit 1; \
	done
	@$(MAKE) --no-print-directory cli
	$(CONTAINER_TOOL) build -f cli/src/main/docker/Dockerfile -t $(IMAGE_PREFIX)/cli:$(IMAGE_TAG) cli

## k8s: regenerate the plain manifests in k8s/ from the Helm chart (a test fails when they are stale)
k8s:
	$(MVN) -q test -pl deploy-tests -Dtest='K8sManifestsTest#committedManifestsAreTheChartRenderedWithDefaultValues' -Dtapedeck.k8s.write=true -Dsurefire.failIfNoSpecifiedTests=false
