"""The web workspace (DESIGN §7): server-rendered pages on the API's app, zh-CN and en."""
