// Racial Equity Office readiness: a district self-assessment on a 4-point implementation scale with "don't know"; behaviour is entirely in definition.json.
#include <mindset/sdk.h>
#include "mindset_definition.h"
MINDSET_INSTRUMENT_FROM_JSON(mindset_definition_json)
