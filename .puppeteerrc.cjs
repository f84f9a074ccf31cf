// Puppeteer (pulled in by pa11y) never downloads a browser: the tests use Debian's chromium
// (/usr/bin/chromium, `make chromium`). See docs/accessibility.md.
module.exports = {
  skipDownload: true,
  chrome: { skipDownload: true },
  "chrome-headless-shell": { skipDownload: true },
  firefox: { skipDownload: true },
};
