# The browser extension's build and its browser tests' dependencies; included by the Makefile.
# `make e2e-deps` gives a fresh Debian machine all the end-to-end tests need: Debian's
# Chromium, the npm packages (from the committed lock files), the built extension and the
# editor pages. Nothing is rebuilt when nothing changed.

EXT := extension
EDITORS := tests/e2e/editors
EXT_BUILT := $(EXT)/dist/chrome/manifest.json
EDITORS_BUILT := $(EDITORS)/site/.built
EXT_SOURCES := $(shell find $(EXT)/src -type f) $(EXT)/manifest.json $(EXT)/build.mjs
EDITOR_SOURCES := $(shell find $(EDITORS)/src -type f) $(EDITORS)/build.mjs

.PHONY: e2e-deps e2e js-test extension

e2e-deps: /usr/bin/chromium $(STAMP) $(EXT_BUILT) $(EDITORS_BUILT)

extension: $(EXT_BUILT)

js-test:
	node --test tests/js/

# The browser tests: the real extension in Chromium against the real server.
e2e: e2e-deps
	$(BIN)/pytest --basetemp=.pytest-tmp -m e2e tests/e2e

/usr/bin/chromium:
	apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium

# npm ci runs again when there are no node_modules or the lock file is newer than them.
$(EXT)/node_modules/.package-lock.json: $(EXT)/package-lock.json
	cd $(EXT) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(EDITORS)/node_modules/.package-lock.json: $(EDITORS)/package-lock.json
	cd $(EDITORS) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(EXT_BUILT): $(EXT_SOURCES) $(EXT)/node_modules/.package-lock.json
	cd $(EXT) && node build.mjs

$(EDITORS_BUILT): $(EDITOR_SOURCES) $(EDITORS)/node_modules/.package-lock.json
	cd $(EDITORS) && node build.mjs
	touch $@

# Unsigned packages a team lead can sign and roll out: the Chrome zip and the Firefox xpi hold
# the built extension with manifest.json at their root.
.PHONY: extension-package
extension-package: $(EXT_BUILT) $(STAMP)
	rm -f $(EXT)/dist/tonecheck-chrome.zip $(EXT)/dist/tonecheck-firefox.xpi
	cd $(EXT)/dist/chrome && $(abspath $(BIN))/python -m zipfile -c ../tonecheck-chrome.zip *
	cd $(EXT)/dist/firefox && $(abspath $(BIN))/python -m zipfile -c ../tonecheck-firefox.xpi *
	@echo "wrote $(EXT)/dist/tonecheck-chrome.zip and $(EXT)/dist/tonecheck-firefox.xpi (unsigned)"
