"""Persian default error messages of DRF's fields, serializers and validators.

DRF's own Persian catalogue is incomplete and in places wrong («pk نامعتبر … این Object وجود
ندارد», «تایپ نامعتبر … str ارسال شده است», «مطمعن شوید»). The project has no ``locale/``
catalogue and CI does not install gettext to compile one, so :func:`install` (called once from
``TrackerConfig.ready()``) sets each class's ``default_error_messages`` instead. Fields read
them when they are built, and DRF rebuilds a serializer's declared fields (``deepcopy``) for
every serializer instance, so serializers imported before ``ready()`` get them as well.

Messages keep DRF's placeholders. ``error_messages=`` passed to a field and the project's own
subclasses (the Jalali date fields, the wall-clock time field) still win: they come later in
DRF's lookup. The exception handler turns the digits into Persian ones.
"""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions, fields, relations, serializers, validators

#: Python type names (what DRF puts in ``{data_type}`` and friends) as the JSON a client sent.
TYPE_NAMES: dict[str, str] = {
    "list": "فهرست",
    "tuple": "فهرست",
    "dict": "شیء",
    "str": "متن",
    "int": "عدد",
    "float": "عدد",
    "Decimal": "عدد",
    "bool": "مقدار درست/نادرست",
    "NoneType": "null",
}

_TYPE_PLACEHOLDERS = ("data_type", "datatype", "input_type")


class Message(str):
    """A message that names the received type in Persian («… نه فهرست», not «… list»)."""

    __slots__ = ()

    def format(self, *args: Any, **kwargs: Any) -> str:  # type: ignore[override]
        for key in _TYPE_PLACEHOLDERS:
            if key in kwargs:
                kwargs[key] = TYPE_NAMES.get(str(kwargs[key]), kwargs[key])
        return super().format(*args, **kwargs)


REQUIRED = "این مقدار لازم است."  # the same words as Django's form fields
_MAX_VALUE = "این مقدار باید کوچک‌تر از {max_value} یا برابر با آن باشد."
_MIN_VALUE = "این مقدار باید بزرگ‌تر از {min_value} یا برابر با آن باشد."
_MAX_CHARS = "این مقدار باید حداکثر {max_length} نویسه باشد."
_MIN_CHARS = "این مقدار باید دست‌کم {min_length} نویسه باشد."
_NUMBER_TOO_LONG = "این عدد بیش از حد طولانی است."
_NOT_A_LIST = "باید فهرستی از موارد فرستاده شود، نه {input_type}."
_EMPTY_LIST = "این فهرست نمی‌تواند خالی باشد."
_MAX_ITEMS = "این فهرست باید حداکثر {max_length} مورد داشته باشد."
_MIN_ITEMS = "این فهرست باید دست‌کم {min_length} مورد داشته باشد."
_INVALID_CHOICE = "«{input}» گزینهٔ معتبری نیست."
_NUMBER = {
    "invalid": "یک عدد معتبر لازم است.",
    "max_value": _MAX_VALUE,
    "min_value": _MIN_VALUE,
    "max_string_length": _NUMBER_TOO_LONG,
}
_INTEGER = {**_NUMBER, "invalid": "یک عدد صحیح معتبر لازم است."}

#: Every DRF class that declares ``default_error_messages``, with every key it declares.
FIELD_MESSAGES: dict[type[fields.Field], dict[str, str]] = {
    fields.Field: {
        "required": REQUIRED,
        "null": "این مقدار نمی‌تواند خالی (null) باشد.",
    },
    fields.BooleanField: {"invalid": "یک مقدار درست یا نادرست (true یا false) لازم است."},
    fields.CharField: {
        "invalid": "یک متن معتبر لازم است.",
        "blank": "این مقدار نمی‌تواند خالی باشد.",
        "max_length": _MAX_CHARS,
        "min_length": _MIN_CHARS,
    },
    fields.EmailField: {"invalid": "یک نشانی ایمیل معتبر وارد کنید."},
    fields.RegexField: {"invalid": "این مقدار با الگوی خواسته‌شده جور نیست."},
    fields.SlugField: {
        "invalid": "فقط حروف انگلیسی، رقم، خط زیر (_) و خط تیره (-) پذیرفته است.",
        "invalid_unicode": "فقط حرف، رقم، خط زیر (_) و خط تیره (-) پذیرفته است.",
    },
    fields.URLField: {"invalid": "یک نشانی اینترنتی (URL) معتبر وارد کنید."},
    fields.UUIDField: {"invalid": "یک شناسهٔ UUID معتبر لازم است."},
    fields.IPAddressField: {"invalid": "یک نشانی IPv4 یا IPv6 معتبر وارد کنید."},
    fields.IntegerField: _INTEGER,
    fields.BigIntegerField: _INTEGER,  # type: ignore[attr-defined]  # (DRF 3.15+, not in the stubs)
    fields.FloatField: {
        **_NUMBER,
        "overflow": "این عدد برای تبدیل به عدد اعشاری بیش از حد بزرگ است.",
    },
    fields.DecimalField: {
        **_NUMBER,
        "max_digits": "این عدد باید روی‌هم حداکثر {max_digits} رقم داشته باشد.",
        "max_decimal_places": "این عدد باید حداکثر {max_decimal_places} رقم اعشار داشته باشد.",
        "max_whole_digits": "این عدد باید پیش از ممیز حداکثر {max_whole_digits} رقم داشته باشد.",
    },
    fields.DateTimeField: {
        "invalid": "قالب تاریخ و ساعت نادرست است؛ یکی از این قالب‌ها را به کار ببرید: {format}.",
        "date": "تاریخ و ساعت لازم است، نه فقط تاریخ.",
        "make_aware": "این تاریخ و ساعت در منطقهٔ زمانی «{timezone}» وجود ندارد یا دوپهلوست.",
        "overflow": "این تاریخ و ساعت بیرون از بازهٔ پذیرفتنی است.",
    },
    fields.DateField: {
        "invalid": "قالب تاریخ نادرست است؛ یکی از این قالب‌ها را به کار ببرید: {format}.",
        "datetime": "به جای تاریخ و ساعت، فقط تاریخ بفرستید.",
    },
    fields.TimeField: {
        "invalid": "قالب ساعت نادرست است؛ یکی از این قالب‌ها را به کار ببرید: {format}.",
    },
    fields.DurationField: {
        "invalid": "قالب مدت نادرست است؛ یکی از این قالب‌ها را به کار ببرید: {format}.",
        "max_value": _MAX_VALUE,
        "min_value": _MIN_VALUE,
        "overflow": "شمار روزها باید میان {min_days} و {max_days} باشد.",
    },
    fields.ChoiceField: {"invalid_choice": _INVALID_CHOICE},
    fields.MultipleChoiceField: {
        "invalid_choice": _INVALID_CHOICE,
        "not_a_list": "باید فهرستی از گزینه‌ها فرستاده شود، نه {input_type}.",
        "empty": "دست‌کم یک گزینه را انتخاب کنید.",
    },
    fields.FilePathField: {"invalid_choice": "«{input}» مسیر معتبری نیست."},
    fields.FileField: {
        "required": "هیچ فایلی فرستاده نشده است.",
        "invalid": "دادهٔ فرستاده‌شده فایل نیست؛ نوع کدگذاری فرم (enctype) را بررسی کنید.",
        "no_name": "نام فایل معلوم نیست.",
        "empty": "فایل فرستاده‌شده خالی است.",
        "max_length": "نام فایل باید حداکثر {max_length} نویسه باشد (اکنون {length} نویسه است).",
    },
    fields.ImageField: {
        "invalid_image": "یک تصویر معتبر بفرستید؛ فایل فرستاده‌شده تصویر نیست یا خراب است.",
    },
    fields.ListField: {
        "not_a_list": _NOT_A_LIST,
        "empty": _EMPTY_LIST,
        "min_length": _MIN_ITEMS,
        "max_length": _MAX_ITEMS,
    },
    fields.DictField: {
        "not_a_dict": "باید یک شیء (نام‌ها و مقدارها) فرستاده شود، نه {input_type}.",
        "empty": "این شیء نمی‌تواند خالی باشد.",
    },
    fields.JSONField: {"invalid": "مقدار باید JSON معتبر باشد."},
    fields.ModelField: {"max_length": _MAX_CHARS},
    relations.PrimaryKeyRelatedField: {
        "required": REQUIRED,
        "does_not_exist": "موردی با شناسهٔ «{pk_value}» وجود ندارد.",
        "incorrect_type": "نوع مقدار نادرست است: شناسهٔ یک مورد لازم است، نه {data_type}.",
    },
    relations.HyperlinkedRelatedField: {
        "required": REQUIRED,
        "no_match": "پیوند نامعتبر است: با هیچ نشانی‌ای جور نیست.",
        "incorrect_match": "پیوند نامعتبر است: به نوع دیگری از موارد اشاره می‌کند.",
        "does_not_exist": "پیوند نامعتبر است: موردی که به آن اشاره می‌کند وجود ندارد.",
        "incorrect_type": "نوع مقدار نادرست است: نشانی (URL) لازم است، نه {data_type}.",
    },
    relations.SlugRelatedField: {
        "does_not_exist": "موردی با {slug_name} برابر «{value}» وجود ندارد.",
        "invalid": "مقدار نامعتبر است.",
    },
    relations.ManyRelatedField: {
        "not_a_list": "باید فهرستی از شناسه‌ها فرستاده شود، نه {input_type}.",
        "empty": _EMPTY_LIST,
    },
    serializers.Serializer: {
        "invalid": "داده نامعتبر است: باید یک شیء با نام و مقدار فیلدها فرستاده شود، "
        "نه {datatype}.",
    },
    serializers.ListSerializer: {
        "not_a_list": _NOT_A_LIST,
        "empty": _EMPTY_LIST,
        "max_length": _MAX_ITEMS,
        "min_length": _MIN_ITEMS,
    },
}

#: Class-level ``message`` texts of DRF's validators (used when none is passed).
VALIDATOR_MESSAGES: dict[type, dict[str, str]] = {
    validators.UniqueValidator: {"message": "مورد دیگری با همین مقدار وجود دارد."},
    validators.UniqueTogetherValidator: {
        "message": "مورد دیگری با همین مقدارهای {field_names} وجود دارد.",
        "missing_message": REQUIRED,
    },
    validators.BaseUniqueForValidator: {"missing_message": REQUIRED},
    validators.UniqueForDateValidator: {
        "message": "این مقدار باید در هر روزِ «{date_field}» یکتا باشد."
    },
    validators.UniqueForMonthValidator: {
        "message": "این مقدار باید در هر ماهِ «{date_field}» یکتا باشد."
    },
    validators.UniqueForYearValidator: {
        "message": "این مقدار باید در هر سالِ «{date_field}» یکتا باشد."
    },
    validators.ProhibitSurrogateCharactersValidator: {
        "message": "متن نویسهٔ نامعتبری دارد (U+{code_point:X}).",
    },
    # The 429's second sentence; the first («… محدود شده است.») is DRF's own translation.
    exceptions.Throttled: {
        "extra_detail_singular": "{wait} ثانیه دیگر دوباره تلاش کنید.",
        "extra_detail_plural": "{wait} ثانیه دیگر دوباره تلاش کنید.",
    },
}


def install() -> None:
    """Give DRF's classes the Persian messages above; safe to call more than once."""
    for cls, messages in FIELD_MESSAGES.items():
        own = cls.__dict__.get("default_error_messages", {})
        cls.default_error_messages = {
            **own,
            **{key: Message(text) for key, text in messages.items()},
        }
    for cls, attributes in VALIDATOR_MESSAGES.items():
        for name, text in attributes.items():
            setattr(cls, name, Message(text))
