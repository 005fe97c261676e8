# cmake -DCOMMAND=<program;args...> -DEXIT_CODE=<n> [-DINPUT_FILE=<file>] -DOUTPUT_CONTAINS=<text;text...> -P CheckCommand.cmake
#
# Runs COMMAND and fails unless it exits with EXIT_CODE and its output (stdout and stderr together)
# contains every OUTPUT_CONTAINS text literally. PASS_REGULAR_EXPRESSION alone cannot do this:
# it ignores the exit code and passes when any one of several expressions matches.
foreach(required COMMAND EXIT_CODE)
  if(NOT DEFINED ${required})
    message(FATAL_ERROR "CheckCommand.cmake: ${required} is required")
  endif()
endforeach()

set(input)
if(INPUT_FILE)
  set(input INPUT_FILE ${INPUT_FILE})
endif()
execute_process(COMMAND ${COMMAND} ${input} RESULT_VARIABLE exitCode OUTPUT_VARIABLE output ERROR_VARIABLE output)
list(JOIN COMMAND " " commandLine)
message("$ ${commandLine}\n${output}(exit code ${exitCode})")

set(problems)
if(NOT exitCode STREQUAL EXIT_CODE)
  list(APPEND problems "expected exit code ${EXIT_CODE}, got ${exitCode}")
endif()
foreach(text IN LISTS OUTPUT_CONTAINS)
  string(FIND "${output}" "${text}" position)
  if(position EQUAL -1)
    list(APPEND problems "expected the output to contain: ${text}")
  endif()
endforeach()
if(problems)
  list(JOIN problems "\n  " problemText)
  message(FATAL_ERROR "${commandLine}:\n  ${problemText}")
endif()
