// Continuous Improvement: use of disaggregated data, learning from mistakes and plan-do-study-act style cycles; behaviour is entirely in definition.json.
#include <mindset/sdk.h>
#include "mindset_definition.h"
MINDSET_INSTRUMENT_FROM_JSON(mindset_definition_json)
