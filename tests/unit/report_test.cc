// SPDX-License-Identifier: Apache-2.0
// The HTML report: self-contained, and every string from the input escaped. When Debian's
// chromium is installed, a real headless browser renders it and must run no injected script.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

#include <gtest/gtest.h>

#include "commands.h"

namespace trustsim::cli {
namespace {

std::string fixture() { return std::string(TRUSTSIM_SOURCE_DIR) + "/tests/fixtures/report/hostile.json"; }

std::string renderReport() {
  ReportOptions o;
  o.world.files = {fixture()};
  o.title = "<b>title</b>";
  std::ostringstream out, err;
  EXPECT_EQ(runReport(o, out, err), kOk) << err.str();
  return out.str();
}

TEST(Report, EscapesEveryInputString) {
  const std::string html = renderReport();
  EXPECT_EQ(html.find("<script>document.title"), std::string::npos) << "an input string became markup";
  EXPECT_EQ(html.find("<img src=x"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;document.title="), std::string::npos);
  EXPECT_NE(html.find("&lt;b&gt;title&lt;/b&gt;"), std::string::npos);
}

TEST(Report, IsSelfContained) {
  const std::string html = renderReport();
  // No network: no external scripts, stylesheets or images, and a CSP that forbids them.
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("src=\"http"), std::string::npos);
  EXPECT_NE(html.find("default-src 'none'"), std::string::npos);
  EXPECT_NE(html.find("public-trust"), std::string::npos);  // the findings are there
}

TEST(Report, HtmlEscapeCoversAttributeAndTextContexts) {
  EXPECT_EQ(htmlEscape(R"(<a href="x" title='y'>&</a>)"), "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
}

TEST(Report, HeadlessChromiumRendersNoInjectedScript) {
  const char* candidates[] = {"/usr/bin/chromium", "/usr/bin/chromium-browser"};
  std::string browser;
  for (const char* c : candidates) {
    if (::access(c, X_OK) == 0) browser = c;
  }
  if (browser.empty()) GTEST_SKIP() << "Debian's chromium is not installed";
  char dir[] = "/tmp/trustsim-report-XXXXXX";
  ASSERT_NE(::mkdtemp(dir), nullptr);
  const std::string page = std::string(dir) + "/report.html";
  std::ofstream(page) << renderReport();
  const std::string cmd = browser + " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
                                    "--disable-background-networking --disable-component-update --disable-sync "
                                    "--user-data-dir=" + std::string(dir) + "/profile --virtual-time-budget=2000 "
                                    "--dump-dom file://" + page + " 2>/dev/null";
  FILE* pipe = ::popen(cmd.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string dom;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) dom.append(buf, n);
  ::pclose(pipe);
  std::system(("rm -rf " + std::string(dir)).c_str());
  ASSERT_NE(dom.find("</html>"), std::string::npos) << "chromium rendered nothing";
  // The title is ours, not the injected script's, and the hostile strings are text in the DOM.
  EXPECT_NE(dom.find("<title>&lt;b&gt;title&lt;/b&gt;</title>"), std::string::npos) << dom.substr(0, 400);
  EXPECT_EQ(dom.find("pwned</title>"), std::string::npos);
  EXPECT_EQ(dom.find("<script>"), std::string::npos);
  EXPECT_NE(dom.find("&lt;script&gt;"), std::string::npos);
}

}  // namespace
}  // namespace trustsim::cli
