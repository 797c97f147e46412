export const CONSOLE_PAGE = "<!doctype html><title>console</title>";
