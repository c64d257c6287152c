# Runs TRUSTSIM with ARGS (a CMake list) in WORKDIR and checks the exit code (EXPECT_EXIT) and
# that every line of EXPECT_LINES (a CMake list) is a whole line of standard output. ctest's
# PASS_REGULAR_EXPRESSION alone would ignore the exit code.
execute_process(COMMAND ${TRUSTSIM} ${ARGS} WORKING_DIRECTORY ${WORKDIR}
                RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT code EQUAL EXPECT_EXIT)
  message(FATAL_ERROR "exit ${code}, expected ${EXPECT_EXIT}\n--- stdout\n${out}--- stderr\n${err}")
endif()
string(REPLACE "\n" ";" out_lines "${out}")
foreach(line IN LISTS EXPECT_LINES)
  list(FIND out_lines "${line}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "missing line: `${line}`\n--- stdout\n${out}")
  endif()
endforeach()
message(STATUS "ok: exit ${code}, ${out}")
