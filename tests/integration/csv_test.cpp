#include "integration_common.h"
