// {{ name }}: tests to come
