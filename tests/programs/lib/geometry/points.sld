;; A library exporting an R7RS record type's procedures and a condition type.
(define-library (geometry points)
  (export make-point point? point-x point-y set-point-x! point-distance2
          &bad-point make-bad-point bad-point? bad-point-value checked-point)
  (import (scheme base) (rnrs conditions) (rnrs exceptions))
  (begin
    (define-record-type <point> (make-point x y) point?
      (x point-x set-point-x!)
      (y point-y))
    (define (point-distance2 p)
      (+ (* (point-x p) (point-x p)) (* (point-y p) (point-y p))))
    (define-condition-type &bad-point &error make-bad-point bad-point?
      (value bad-point-value))
    (define (checked-point x y)
      (if (and (integer? x) (integer? y))
          (make-point x y)
          (raise (condition (make-bad-point (list x y))
                            (make-who-condition 'checked-point)
                            (make-message-condition "coordinates must be integers")))))))
