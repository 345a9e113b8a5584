# Installs into a scratch prefix and runs the installed binary's `rules check`, with no hint of
# where the source tree is: it must find its signatures beside itself.
file(REMOVE_RECURSE "${PREFIX}")
execute_process(COMMAND ${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${PREFIX}"
                RESULT_VARIABLE install_result OUTPUT_QUIET)
if(NOT install_result EQUAL 0)
  message(FATAL_ERROR "cmake --install failed")
endif()
set(ENV{LEAKSWEEP_CACHE_DIR} "${PREFIX}/cache")
execute_process(COMMAND "${PREFIX}/bin/leaksweep" rules check
                RESULT_VARIABLE check_result OUTPUT_VARIABLE check_output)
if(NOT check_result EQUAL 0 OR NOT check_output MATCHES "all passed")
  message(FATAL_ERROR "installed binary failed rules check: ${check_output}")
endif()
if(NOT EXISTS "${PREFIX}/share/leaksweep/signatures/secrets/github.yaml")
  message(FATAL_ERROR "signatures were not installed")
endif()
# The installed binary must use the installed signatures, not the source tree's.
if(NOT check_output MATCHES "checking rules in ${PREFIX}/share/leaksweep/signatures")
  message(FATAL_ERROR "installed binary did not use its installed signatures: ${check_output}")
endif()
file(REMOVE_RECURSE "${PREFIX}")
message(STATUS "install test passed")
