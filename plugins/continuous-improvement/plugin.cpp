// Continuous Improvement: use of disaggregated data, learning from mistakes and plan-do-study-act style cycles; behaviour is entirely in definition.json.
// The plugin also registers the pilot version 0.9.0 (definition-0.9.0.json) that surveys fielded in 2024-25 pin.
#include <mindset/sdk.h>
#include "mindset_definition.h"
MINDSET_INSTRUMENTS_FROM_JSON(mindset_definitions_json)
