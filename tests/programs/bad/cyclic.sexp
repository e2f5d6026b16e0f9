;; A cyclic constant.
(program ((primitive display) (quote #0=(1 . #0#))))
