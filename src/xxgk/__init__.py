"""xxgk (信息公开): an open-government-information platform."""
