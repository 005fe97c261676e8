// Equity & Excellence: high expectations, equitable resourcing and asset-based views of students and families; behaviour is entirely in definition.json.
#include <mindset/sdk.h>
#include "mindset_definition.h"
MINDSET_INSTRUMENT_FROM_JSON(mindset_definition_json)
