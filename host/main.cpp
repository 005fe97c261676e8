#include <iostream>

#include "app/MindsetApp.h"

POCO_SERVER_MAIN(mindset::app::MindsetApp)
