"ok \xDC00; no"
