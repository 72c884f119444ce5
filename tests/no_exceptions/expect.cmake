# Runs one mode of the -fno-exceptions program and checks how it ends. CTest counts a test that
# aborts as failed whatever WILL_FAIL says, hence this script.
#   cmake -DPROGRAM=<exe> -DMODE=<mode> -DCASE=<case> -DEXPECT_EXIT=<code>|abort
#         -DEXPECT_TEXT=<text that stdout or stderr must contain> [-DEMULATOR=<command>]
#         -P expect.cmake
# EMULATOR runs a program built for another machine (scripts/cross.sh).
set(command ${PROGRAM})
if(EMULATOR)
  separate_arguments(emulator UNIX_COMMAND "${EMULATOR}")
  set(command ${emulator} ${PROGRAM})
endif()
execute_process(COMMAND ${command} ${MODE} ${CASE}
                RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(output "${out}${err}")

set(ended_as_expected FALSE)
if(EXPECT_EXIT STREQUAL "abort")
  # execute_process reports a signal as text ("Subprocess aborted", or "Child aborted" in older
  # CMake); on Windows abort() exits with 3.
  if(result MATCHES "[Aa]bort" OR (WIN32 AND result EQUAL 3))
    set(ended_as_expected TRUE)
  endif()
elseif(result STREQUAL EXPECT_EXIT)
  set(ended_as_expected TRUE)
endif()

string(FIND "${output}" "${EXPECT_TEXT}" text_at)
if(NOT ended_as_expected OR text_at EQUAL -1)
  message(FATAL_ERROR "${MODE} ${CASE}: expected exit '${EXPECT_EXIT}' and the text\n"
                      "  ${EXPECT_TEXT}\ngot exit '${result}' and the output\n${output}")
endif()
message(STATUS "${MODE} ${CASE}: exit '${result}', output has '${EXPECT_TEXT}'")
