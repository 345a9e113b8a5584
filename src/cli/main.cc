#include "leaksweep/cli/commands.h"

int main(int argc, char** argv) { return leaksweep::RunCli(argc, argv); }
