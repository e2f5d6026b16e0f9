'|abc
