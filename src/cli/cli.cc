#include <cstdio>
#include <iostream>

#include "leaksweep/cli/commands.h"
#include "leaksweep/cli/common.h"
#include "leaksweep/core/version.h"

namespace leaksweep {

int RunCli(int argc, char** argv) {
  CLI::App app{"leaksweep: find leaked secrets and personal data in source repositories"};
  app.set_version_flag("--version", kVersion);
  app.require_subcommand(1);
  ScanCommand scan(app);
  GitCommand git(app);
  RulesCommand rules(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --help, --version
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }
  if (scan.selected()) return scan.Run();
  if (git.selected()) return git.Run();
  if (rules.selected()) return rules.Run();
  return kExitUsage;
}

}  // namespace leaksweep
