# Fuzzing: the fuzz_regressions test. Regenerates the seed corpus (when python3 is there), then
# replays regressions/<target>/ and the corpus through each fuzz_<target>_replay; any crash or
# broken invariant fails the test and names the input.
#
# cmake -DTARGETS=a;b -DREPLAY_a=path ... -DREGRESSIONS=dir -DPYTHON=exe -DMAKE_CORPUS=script
#       -DCORPUS=dir -P run_regressions.cmake

set(_inputs)
if(PYTHON)
  file(REMOVE_RECURSE ${CORPUS})
  execute_process(COMMAND ${PYTHON} ${MAKE_CORPUS} ${CORPUS} RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "make_corpus.py failed (${_rc})")
  endif()
  set(_inputs ${CORPUS})
else()
  message(WARNING "python3 not found: replaying the committed regressions only")
endif()

set(_failed)
foreach(_target ${TARGETS})
  execute_process(COMMAND ${REPLAY_${_target}} ${REGRESSIONS}/${_target} ${_inputs}
                  RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    list(APPEND _failed ${_target})
    message(SEND_ERROR "fuzz_${_target}_replay failed (${_rc}): see the input named above")
  endif()
endforeach()
if(_failed)
  message(FATAL_ERROR "fuzz regressions failed for: ${_failed}")
endif()
